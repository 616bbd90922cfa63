/**
 * Why an import could not be parsed, apart from what is wrong with the log itself (the parser's own errors): it ran
 * out of time or memory, its worker died, or too many imports are waiting. `http/errors.ts` maps each code to an
 * answer.
 */

export type ImportErrorCode =
  /** A user's regex or delimiter ran past the time limit. */
  | 'regex_timeout'
  /** The built-in parser ran past the time limit (a very large log on a busy machine). */
  | 'parse_timeout'
  | 'parse_out_of_memory'
  /** The parser's worker died, or the server is shutting down. */
  | 'parse_failed'
  | 'imports_busy';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    /** `path` (the query parameter or `body` at fault) and the limit that was hit, if any. */
    readonly details: { path?: string; limitMs?: number; limitMb?: number } = {},
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

export const isImportError = (e: unknown, code?: ImportErrorCode): e is ImportError => e instanceof ImportError && (code === undefined || e.code === code);
