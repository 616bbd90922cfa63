/** Zod messages fit for the editor: "is required" instead of "expected string, received undefined". */
import type { z } from 'zod';

/** A per-parse error map: keeps schema messages, says "is required" for a missing field. */
export const readableErrors = {
  error: (issue: z.core.$ZodRawIssue): string | undefined =>
    issue.code === 'invalid_type' && issue.input === undefined ? `is required (${String(issue.expected)})` : undefined,
};
