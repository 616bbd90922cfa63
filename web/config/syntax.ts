/**
 * Syntax checks for code in configs, run as the user types: JSONata is parsed with the jsonata library, and
 * JavaScript is compiled (never run) as the body of the function the runtime wraps it in.
 */
import jsonata from 'jsonata';

export interface SyntaxProblem {
  message: string;
  /** Character offset, when the parser tells it. */
  position?: number;
}

export function checkJsonata(source: string): SyntaxProblem | null {
  if (source.trim() === '') return null;
  try {
    jsonata(source);
    return null;
  } catch (error) {
    const e = error as { message?: string; position?: number };
    return { message: e.message ?? 'not a valid JSONata expression', ...(typeof e.position === 'number' ? { position: e.position } : {}) };
  }
}

export function checkJavascript(source: string, params: readonly string[]): SyntaxProblem | null {
  if (source.trim() === '') return null;
  try {
    // Compiles the body without calling it: a syntax error throws here.
    new Function(...params, source);
    return null;
  } catch (error) {
    return { message: error instanceof Error ? error.message : 'not valid JavaScript' };
  }
}

/** The parameter names a code field's body is wrapped in, by config field (the runtime's contract). */
export function paramsFor(type: string, field: string): string[] {
  if (type === 'actor' && field === 'reducer') return ['state', 'event'];
  return ['event'];
}
