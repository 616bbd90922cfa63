/**
 * User JavaScript in QuickJS (WebAssembly): the body of `function (<params>) { … }`, with a CPU-time limit per
 * call, a memory limit, a bounded stack and no host access (no require, process, fetch or timers; only the
 * language's own built-ins, `Date` and `Math.random` included). Values cross the boundary as JSON, so the script
 * works on copies and hands back plain data.
 */
import { disposeInstance, newInstance, type Instance } from './instance.js';
import { boundedModule } from './quickjs.js';
import type { Script, ScriptError, ScriptOptions, ScriptResult } from './types.js';
import { describeThrown, isInternal, readThrown } from './user-source.js';

function toJsonArguments(args: unknown[]): string | ScriptError {
  try {
    return JSON.stringify(args.map((arg) => (arg === undefined ? null : arg)));
  } catch (error) {
    return { code: 'error', message: `the arguments are not JSON: ${(error as Error).message}` };
  }
}

/**
 * Compiles the function once into its own runtime and context. A call that runs out of time or memory leaves
 * the script usable: its runtime is replaced by a fresh one before the next call. Globals the script sets live
 * as long as that runtime. The time limit is checked whenever QuickJS polls for interrupts (every few thousand
 * jumps and calls), so a loop whose every turn does heavy built-in work (splitting a long string) can overrun it
 * by far: the flow runtime therefore runs scripts in a thread it terminates when a call overruns.
 */
export async function createScript(options: ScriptOptions): Promise<Script> {
  const module = await boundedModule(options.memoryMb);
  let instance: Instance | undefined = newInstance(module, options);
  let disposed = false;

  /** Drops a runtime that ran out of time or memory; the next call builds a fresh one. */
  const discard = (): void => {
    const current = instance;
    instance = undefined;
    if (current) disposeInstance(current);
  };

  const run = (current: Instance, argsJson: string): ScriptResult => {
    const { ctx } = current;
    current.interrupted = false;
    current.deadline = Date.now() + options.timeoutMs;
    const input = ctx.newString(argsJson);
    const result = ctx.callFunction(current.runner, ctx.undefined, input);
    input.dispose();
    if (result.error) {
      const thrown = readThrown(ctx, result.error);
      result.error.dispose();
      if (current.interrupted && isInternal(thrown, 'interrupted')) {
        discard();
        return { ok: false, error: { code: 'timeout', message: `the script ran longer than ${options.timeoutMs} ms` } };
      }
      if (isInternal(thrown, 'out of memory')) {
        discard();
        return { ok: false, error: { code: 'memory', message: `the script used more than ${options.memoryMb} MB of memory` } };
      }
      const { message, line } = describeThrown(thrown);
      return { ok: false, error: line === undefined ? { code: 'error', message } : { code: 'error', message, line } };
    }
    const text = ctx.getString(result.value);
    result.value.dispose();
    if (text === 'u') return { ok: true, value: null };
    if (text.startsWith('!')) return { ok: false, error: { code: 'invalid_result', message: `the result is not JSON: ${text.slice(1)}` } };
    const bytes = text.length - 1;
    if (options.maxResultBytes !== undefined && bytes > options.maxResultBytes) {
      return { ok: false, error: { code: 'too_large', message: `the result is ${bytes} bytes as JSON, more than the limit of ${options.maxResultBytes}` } };
    }
    return { ok: true, value: JSON.parse(text.slice(1)) as unknown };
  };

  return {
    call: (...args) => {
      if (disposed) return { ok: false, error: { code: 'error', message: 'the script was disposed' } };
      const argsJson = toJsonArguments(args);
      if (typeof argsJson !== 'string') return { ok: false, error: argsJson };
      try {
        instance ??= newInstance(module, options);
        return run(instance, argsJson);
      } catch (error) {
        // The host itself failed (a broken runtime): start afresh on the next call.
        if (instance) {
          try {
            disposeInstance(instance);
          } catch {
            // already unusable
          }
        }
        instance = undefined;
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'error', message: `the sandbox failed: ${message}` } };
      }
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (instance) disposeInstance(instance);
      instance = undefined;
    },
  };
}
