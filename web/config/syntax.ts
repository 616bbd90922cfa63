/**
 * The contract of code fields as the editor sees it. Their syntax is checked elsewhere: JSONata by
 * shared/jsonata-syntax.ts as the user types (the compiler's own check), JavaScript by the server's validation (the
 * sandbox's own parser, the one that will run it), whose answer shows on the field a moment later: compiling it
 * here would need `new Function`, which the app's Content-Security-Policy refuses.
 */

/** The parameter names a code field's body is wrapped in, by config field (the runtime's contract). */
export function paramsFor(type: string, field: string): string[] {
  if (type === 'actor' && field === 'reducer') return ['state', 'event'];
  return ['event'];
}
