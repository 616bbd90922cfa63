/**
 * Syntax checks for code in configs, run as the user types: JSONata is parsed with the jsonata library.
 * JavaScript is checked by the server's validation (the sandbox's own parser, the one that will run it), whose
 * answer shows on the field a moment later: compiling it here would need `new Function`, which the app's
 * Content-Security-Policy refuses.
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

/** The parameter names a code field's body is wrapped in, by config field (the runtime's contract). */
export function paramsFor(type: string, field: string): string[] {
  if (type === 'actor' && field === 'reducer') return ['state', 'event'];
  return ['event'];
}
