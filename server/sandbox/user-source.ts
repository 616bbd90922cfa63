/**
 * The user's body as QuickJS sees it, and back: it is wrapped as a function expression in `script.js`, and what
 * the script throws is read without trusting its shape and pointed at a line of the user's own source.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';

export const SCRIPT_FILE = 'script.js';

/** The user's body as a function expression; the body starts on line 2. */
export const functionText = (source: string, params: readonly string[]): string => `function (${params.join(', ')}) {\n${source}\n}`;
/** How many lines `functionText` puts before the user's first line. */
export const LINE_OFFSET = 1;

export interface ThrownValue {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  lineNumber?: unknown;
}

/** `script.js:3:10` in a stack: the first frame in the user's code, as a line (and column) of their source. */
function userPosition(stack: unknown): { line: number; column: number } | undefined {
  if (typeof stack !== 'string') return undefined;
  const match = new RegExp(`${SCRIPT_FILE.replace('.', '\\.')}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - LINE_OFFSET;
  return line >= 1 ? { line, column: Number(match[2] ?? 0) } : undefined;
}

/** Reads a thrown value without trusting its shape. */
export function readThrown(ctx: QuickJSContext, handle: QuickJSHandle): ThrownValue | string {
  try {
    const value: unknown = ctx.dump(handle);
    if (typeof value === 'object' && value !== null) return value as ThrownValue;
    return String(value);
  } catch {
    return 'an unreadable value was thrown';
  }
}

export function describeThrown(thrown: ThrownValue | string): { message: string; line?: number; column?: number } {
  if (typeof thrown === 'string') return { message: thrown };
  const name = typeof thrown.name === 'string' ? thrown.name : 'Error';
  const text = typeof thrown.message === 'string' ? thrown.message : String(thrown.message ?? 'unknown error');
  const message = name === 'Error' ? text : `${name}: ${text}`;
  const at = userPosition(thrown.stack);
  return at ? { message, line: at.line, column: at.column } : { message };
}

/** Whether QuickJS itself stopped the script (`interrupted`, `out of memory`), as opposed to the script throwing. */
export function isInternal(thrown: ThrownValue | string, message: string): boolean {
  return typeof thrown === 'object' && thrown.name === 'InternalError' && thrown.message === message;
}
