/**
 * One QuickJS runtime and context holding a script's compiled function and its runner. An instance is built
 * whole or not at all: if any step fails, every handle made so far is disposed and the error says why.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import { HARNESS, HARNESS_FILE } from './harness.js';
import { CHECK_TIMEOUT_MS, MAX_STACK_BYTES } from './quickjs.js';
import { SandboxError, type ScriptOptions } from './types.js';
import { describeThrown, functionText, readThrown, SCRIPT_FILE } from './user-source.js';

export interface Instance {
  runtime: QuickJSRuntime;
  ctx: QuickJSContext;
  runner: QuickJSHandle;
  /** Set by the interrupt handler when the deadline passed. */
  interrupted: boolean;
  deadline: number;
}

export function disposeInstance(instance: Instance): void {
  instance.runner.dispose();
  instance.ctx.dispose();
  instance.runtime.dispose();
}

export function newInstance(module: QuickJSWASMModule, options: ScriptOptions): Instance {
  const runtime = module.newRuntime();
  const instance: Partial<Instance> & { runtime: QuickJSRuntime; interrupted: boolean; deadline: number } = {
    runtime,
    interrupted: false,
    // Setting up (the harness, compiling the source) gets the checker's time: a fresh WebAssembly instance starts slowly.
    deadline: Date.now() + Math.max(options.timeoutMs, CHECK_TIMEOUT_MS),
  };
  runtime.setMaxStackSize(MAX_STACK_BYTES);
  runtime.setInterruptHandler(() => {
    if (Date.now() <= instance.deadline) return false;
    instance.interrupted = true;
    return true;
  });
  const ctx = runtime.newContext();
  const handles: QuickJSHandle[] = [];
  try {
    runtime.setMemoryLimit(options.memoryMb * 1024 * 1024);
    const harness = ctx.evalCode(HARNESS, HARNESS_FILE, { type: 'global' });
    if (harness.error) {
      handles.push(harness.error);
      throw new SandboxError('setup', 'the sandbox could not start');
    }
    handles.push(harness.value);

    const expected = functionText(options.source, options.params);
    const compiled = ctx.evalCode(`(${expected})`, SCRIPT_FILE, { type: 'global' });
    if (compiled.error) {
      const thrown = readThrown(ctx, compiled.error);
      handles.push(compiled.error);
      const described = describeThrown(thrown);
      const code = typeof thrown === 'object' && thrown.name === 'SyntaxError' ? 'syntax' : 'setup';
      throw new SandboxError(code, described.message, described.line, described.column);
    }
    handles.push(compiled.value);

    const expectedText = ctx.newString(expected);
    handles.push(expectedText);
    const made = ctx.callFunction(harness.value, ctx.undefined, compiled.value, expectedText);
    if (made.error) {
      handles.push(made.error);
      throw new SandboxError('setup', 'the sandbox could not start');
    }
    if (ctx.typeof(made.value) !== 'function') {
      made.value.dispose();
      throw new SandboxError('syntax', 'the code must be the body of one function: it closes the function early');
    }
    return Object.assign(instance, { ctx, runner: made.value });
  } catch (error) {
    for (const handle of handles) handle.dispose();
    ctx.dispose();
    runtime.dispose();
    throw error;
  } finally {
    for (const handle of handles) if (handle.alive) handle.dispose();
  }
}
