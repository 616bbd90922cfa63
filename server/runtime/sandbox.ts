/**
 * User JavaScript in QuickJS (WebAssembly): the body of `function (<params>) { … }`, with a CPU-time limit per
 * call, a memory limit, a bounded stack and no host access (no require, process, fetch or timers; only the
 * language's own built-ins, `Date` and `Math.random` included). Values cross the boundary as JSON, so the script
 * works on copies and hands back plain data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  newQuickJSWASMModule,
  newQuickJSWASMModuleFromVariant,
  newVariant,
  RELEASE_SYNC,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';

export interface ScriptSyntaxError {
  line: number;
  column: number;
  message: string;
}

export type ScriptErrorCode = 'timeout' | 'memory' | 'error' | 'invalid_result' | 'too_large';

export interface ScriptError {
  code: ScriptErrorCode;
  message: string;
  /** Line in the user's source, when the error points at one. */
  line?: number;
}

export type ScriptResult = { ok: true; value: unknown } | { ok: false; error: ScriptError };

export interface Script {
  /** Runs the function with JSON copies of the arguments; synchronous. */
  call(...args: unknown[]): ScriptResult;
  dispose(): void;
}

export interface ScriptOptions {
  source: string;
  params: string[];
  timeoutMs: number;
  memoryMb: number;
  /** The largest result, as JSON, a call may return (bytes); larger ones fail with `too_large`. */
  maxResultBytes?: number;
}

/** A script that cannot be created (it does not parse, or its top level fails). */
export class SandboxError extends Error {
  constructor(
    readonly code: 'syntax' | 'setup',
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

const SCRIPT_FILE = 'script.js';
const HARNESS_FILE = 'causeway-harness.js';
/** QuickJS frames live on the host's stack too: small enough that deep recursion fails inside the sandbox. */
const MAX_STACK_BYTES = 256 * 1024;
/** Parsing alone gets these limits. */
const CHECK_TIMEOUT_MS = 1_000;
const CHECK_MEMORY_BYTES = 64 * 1024 * 1024;

let quickjs: Promise<QuickJSWASMModule> | undefined;
/** The WebAssembly module that checks syntax, loaded once. */
const loadQuickJS = (): Promise<QuickJSWASMModule> => (quickjs ??= newQuickJSWASMModule(RELEASE_SYNC));

/** QuickJS's compiled WebAssembly, compiled once; each script instantiates it with a memory of its own. */
let compiledWasm: Promise<WebAssembly.Module> | undefined;
const wasmModule = (): Promise<WebAssembly.Module> =>
  (compiledWasm ??= WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))));

/** The memory QuickJS's build starts with (its static data and first heap). */
const INITIAL_PAGES = 256;
const PAGE_BYTES = 64 * 1024;

/**
 * A QuickJS instance for one script, whose WebAssembly memory cannot grow past the script's limit (twice it, for
 * the allocator's own waste) plus what the build starts with. QuickJS's own accounting (`setMemoryLimit`) misses
 * some of what a script makes grow: with it alone, a 16 MB script grew the process by 1.5 GB.
 */
async function boundedModule(memoryMb: number): Promise<QuickJSWASMModule> {
  const maximum = INITIAL_PAGES + Math.ceil((2 * memoryMb * 1024 * 1024) / PAGE_BYTES);
  const variant = newVariant(RELEASE_SYNC, { wasmModule: wasmModule, wasmMemory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum }) });
  return newQuickJSWASMModuleFromVariant(variant);
}

/** The user's body as a function expression; the body starts on line 2. */
const functionText = (source: string, params: readonly string[]): string => `function (${params.join(', ')}) {\n${source}\n}`;
const LINE_OFFSET = 1;

/**
 * Built before any user code runs, so it holds the original JSON and Reflect. Given the user's function and the
 * text it must have, it returns the runner: JSON arguments in, `'v' + JSON` or `'u'` (undefined) or
 * `'!' + reason` (not JSON) out. A source that closes the function early and runs code around it is refused.
 */
const HARNESS = `(function () {
  const parse = JSON.parse, stringify = JSON.stringify, apply = Reflect.apply;
  const toText = Function.prototype.toString;
  const plain = function (key, value) {
    const t = typeof value;
    if (t === 'function' || t === 'symbol') throw new TypeError((key === '' ? 'the result' : '"' + key + '"') + ' is a ' + t);
    return value;
  };
  return function (fn, expected) {
    if (typeof fn !== 'function' || apply(toText, fn, []) !== expected) return null;
    return function (argsJson) {
      const value = apply(fn, undefined, parse(argsJson));
      if (value === undefined) return 'u';
      if (value instanceof Promise) return '!the result is a Promise: return the value itself';
      let json;
      try {
        json = stringify(value, plain);
      } catch (e) {
        if (e instanceof InternalError) throw e;
        return '!' + (e && e.message ? e.message : String(e));
      }
      return json === undefined ? '!the result is not JSON' : 'v' + json;
    };
  };
})()`;

interface ThrownValue {
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
function readThrown(ctx: QuickJSContext, handle: QuickJSHandle): ThrownValue | string {
  try {
    const value: unknown = ctx.dump(handle);
    if (typeof value === 'object' && value !== null) return value as ThrownValue;
    return String(value);
  } catch {
    return 'an unreadable value was thrown';
  }
}

function describeThrown(thrown: ThrownValue | string): { message: string; line?: number; column?: number } {
  if (typeof thrown === 'string') return { message: thrown };
  const name = typeof thrown.name === 'string' ? thrown.name : 'Error';
  const text = typeof thrown.message === 'string' ? thrown.message : String(thrown.message ?? 'unknown error');
  const message = name === 'Error' ? text : `${name}: ${text}`;
  const at = userPosition(thrown.stack);
  return at ? { message, line: at.line, column: at.column } : { message };
}

function isInternal(thrown: ThrownValue | string, message: string): boolean {
  return typeof thrown === 'object' && thrown.name === 'InternalError' && thrown.message === message;
}

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
      // An error past the end of the body (an unclosed brace) points at the closing line: report the last line.
      const lastLine = source.split('\n').length;
      return { line: Math.min(Math.max(line, 0), lastLine), column: described.column ?? 0, message: text };
    } finally {
      ctx.dispose();
    }
  } finally {
    runtime.dispose();
  }
}

/** One QuickJS runtime and context holding the compiled function and its runner. */
interface Instance {
  runtime: QuickJSRuntime;
  ctx: QuickJSContext;
  runner: QuickJSHandle;
  /** Set by the interrupt handler when the deadline passed. */
  interrupted: boolean;
  deadline: number;
}

function disposeInstance(instance: Instance): void {
  instance.runner.dispose();
  instance.ctx.dispose();
  instance.runtime.dispose();
}

function newInstance(module: QuickJSWASMModule, options: ScriptOptions): Instance {
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
 * by far: the flow runtime therefore runs scripts in a thread it terminates when a call overruns (`user-code/`).
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
