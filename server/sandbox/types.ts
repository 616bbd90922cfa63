/**
 * What the sandbox promises its callers: a script is created from a function body and called with JSON copies of
 * its arguments; every call answers with a value or a `ScriptError` whose code says why (time, memory, a throw, a
 * result that is not plain data or too large). A script that cannot be created is a `SandboxError`.
 */

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
