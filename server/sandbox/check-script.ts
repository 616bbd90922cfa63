/**
 * Whether a function body parses, by QuickJS's own parser: the compiler checks handler code with it, so what the
 * editor accepts is what the sandbox runs. Parsing never runs the code, and has limits of its own.
 */
import { CHECK_MEMORY_BYTES, CHECK_TIMEOUT_MS, loadQuickJS, MAX_STACK_BYTES } from './quickjs.js';
import type { ScriptSyntaxError } from './types.js';
import { describeThrown, functionText, LINE_OFFSET, readThrown, SCRIPT_FILE } from './user-source.js';

/**
 * Parses `function (<params>) { <source> }` without running it. Null when it parses; otherwise where
 * (line and column in the user's source) and why.
 */
export async function checkScript(source: string, params: string[]): Promise<ScriptSyntaxError | null> {
  const module = await loadQuickJS();
  const runtime = module.newRuntime();
  try {
    runtime.setMaxStackSize(MAX_STACK_BYTES);
    const deadline = Date.now() + CHECK_TIMEOUT_MS;
    runtime.setInterruptHandler(() => Date.now() > deadline);
    const ctx = runtime.newContext();
    try {
      runtime.setMemoryLimit(CHECK_MEMORY_BYTES);
      const result = ctx.evalCode(`(${functionText(source, params)})`, SCRIPT_FILE, { type: 'global', compileOnly: true });
      if (!result.error) {
        result.value.dispose();
        return null;
      }
      const thrown = readThrown(ctx, result.error);
      result.error.dispose();
      const described = describeThrown(thrown);
      const lineNumber = typeof thrown === 'object' && typeof thrown.lineNumber === 'number' ? thrown.lineNumber - LINE_OFFSET : undefined;
      const line = described.line ?? lineNumber ?? 0;
      const text = typeof thrown === 'object' && typeof thrown.message === 'string' ? thrown.message : described.message;
      const lines = source.split('\n');
      // An error past the end of the body (an unclosed brace, an expression cut short) is found in the wrapper's
      // closing line, at one of its own characters: the user's code ended too soon, so point at its end instead.
      if (line > lines.length) return { line: lines.length, column: (lines.at(-1) ?? '').length + 1, message: 'unexpected end of code: a bracket, brace or expression is left open, or one is closed too many times' };
      return { line: Math.max(line, 0), column: described.column ?? 0, message: text };
    } finally {
      ctx.dispose();
    }
  } finally {
    runtime.dispose();
  }
}
