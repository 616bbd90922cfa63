/**
 * The one shape of every error answer: `{"error": {"code", "message", "details": [...]}}`, a stable `code` to decide
 * by, a `message` naming what was wrong and where, and `details` with the field path of each problem. A route may
 * add fields beside `error` (a deploy that does not compile adds its `errors` and `warnings`).
 */
import { z } from 'zod';

export const ErrorDetailSchema = z
  .object({
    path: z.string().optional().meta({ description: "Dotted field path (`data.t`, `nodes.0.id`, `limit`), or `''` for the whole input." }),
    message: z.string(),
  })
  .catchall(z.unknown())
  .meta({ id: 'ErrorDetail', description: 'One problem; some carry more fields (`line`, `limit`, `required` …).' });
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorAnswerSchema = z
  .object({
    error: z.strictObject({
      code: z.string().meta({ description: 'Stable: `validation_failed`, `not_found`, `unauthorized`, `forbidden`, `revision_conflict` …' }),
      message: z.string(),
      details: z.array(ErrorDetailSchema),
    }),
  })
  .meta({ id: 'Error', description: 'Every error answer; a 4xx for bad input, never a 5xx.' });
export type ErrorAnswer = z.infer<typeof ErrorAnswerSchema>;
