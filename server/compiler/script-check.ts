/**
 * Whether a JavaScript handler body parses. The sandbox (server/runtime/sandbox.ts) owns the real check;
 * until it exists this falls back to V8's parser (`new Function` only parses: the function is never called).
 */

export interface ScriptSyntaxError {
  line: number;
  column: number;
  message: string;
}

export type ScriptChecker = (source: string, params: string[]) => Promise<ScriptSyntaxError | null>;

/** V8's parser: the body of `function (...params) { source }`. No line information. */
export const parseWithV8: ScriptChecker = async (source, params) => {
  try {
    new Function(...params, source);
    return null;
  } catch (error) {
    return { line: 0, column: 0, message: error instanceof Error ? error.message : String(error) };
  }
};

const SANDBOX = '../runtime/sandbox.js';
let checker: Promise<ScriptChecker> | undefined;

async function loadChecker(): Promise<ScriptChecker> {
  try {
    const sandbox = (await import(/* @vite-ignore */ SANDBOX)) as { checkScript?: ScriptChecker };
    return typeof sandbox.checkScript === 'function' ? sandbox.checkScript : parseWithV8;
  } catch {
    return parseWithV8;
  }
}

export const checkScript: ScriptChecker = async (source, params) => {
  checker ??= loadChecker();
  return (await checker)(source, params);
};
