/**
 * Whether a JSONata expression parses, and if not where and why, in one wording: the compiler reports it and the
 * editor shows it as the user types, so the field and the problems list say the same thing about the same error.
 */
import jsonata from 'jsonata';
import { lineColumnAt, type LineColumn } from './code-position.js';

export interface JsonataSyntaxError {
  /** `JSONata syntax error at position 8 (S0207): Unexpected end of expression`. */
  message: string;
  /** Where the offending token starts (the end of the text when the expression stops short). */
  at: LineColumn;
  /** The same place as a character offset. */
  offset: number;
}

export function jsonataSyntaxError(source: string): JsonataSyntaxError | null {
  try {
    jsonata(source);
    return null;
  } catch (error) {
    const e = error as { message?: unknown; position?: unknown; code?: unknown; token?: unknown };
    const reason = typeof e.message === 'string' ? e.message : String(error);
    // The parser's position is just past the offending token (or the end of the text for `(end)`).
    const end = typeof e.position === 'number' ? Math.min(Math.max(e.position, 0), source.length) : source.length;
    const token = e.token === undefined || e.token === '(end)' ? '' : String(e.token);
    const offset = source.slice(end - token.length, end) === token ? end - token.length : end;
    const where: string[] = [];
    if (typeof e.position === 'number') where.push(`at position ${e.position}${source.includes('\n') ? ` (${describe(lineColumnAt(source, offset))})` : ''}`);
    if (typeof e.code === 'string') where.push(`(${e.code})`);
    const place = where.length > 0 ? ` ${where.join(' ')}` : '';
    return { message: `JSONata syntax error${place}: ${reason}`, at: lineColumnAt(source, offset), offset };
  }
}

const describe = ({ line, column }: LineColumn) => `line ${line}, column ${column}`;
