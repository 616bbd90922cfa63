/**
 * Runs one job of a user-code thread: each item in order, each to its own answer, within the limits every item
 * gets. Lives in the thread (see `thread.ts`), but is plain code: tests run it directly.
 */
import jsonata from 'jsonata';
import { createScript } from '../../sandbox/create-script.js';
import type { Script, ScriptResult } from '../../sandbox/types.js';
import { toEmits } from '../nodes/emissions.js';
import { NodeFailure } from '../node.js';
import type { Forced, ItemFailure, ItemResult, JobBody, KeyState, Program, UserCodeLimits } from './protocol.js';

/** A program made ready to run: compiled once per thread, used by every job that names it. */
export interface Compiled {
  program: Program;
  expression?: jsonata.Expression;
  script?: Script;
}

export async function compileProgram(program: Program, limits: UserCodeLimits): Promise<Compiled> {
  if (program.kind === 'jsonata') {
    const options = { timeout: limits.expressionTimeoutMs, stack: limits.expressionStackDepth, sequence: limits.expressionSequenceLength };
    return { program, expression: jsonata(program.source, options as Parameters<typeof jsonata>[1]) };
  }
  const params = program.kind === 'script' ? program.params : ['state', 'event'];
  const script = await createScript({ source: program.source, params, timeoutMs: program.timeoutMs, memoryMb: program.memoryMb, maxResultBytes: limits.maxResultBytes });
  return { program, script };
}

export function disposeProgram(compiled: Compiled): void {
  compiled.script?.dispose();
}

/** Called before each item runs, with its index (the thread records it for the host's watchdog). */
export type OnItem = (index: number) => void;

export interface JobOutcome {
  results: ItemResult[];
  states?: [key: string, state: KeyState][];
}

export async function runJob(compiled: Compiled, body: JobBody, limits: UserCodeLimits, forced: Forced, onItem: OnItem = () => {}): Promise<JobOutcome> {
  const known = new Map(forced);
  switch (body.op) {
    case 'evaluate':
      return { results: await eachItem(body.inputs.length, known, onItem, (i) => evaluateOne(compiled.expression!, body.inputs[i], limits)) };
    case 'call':
      return { results: await eachItem(body.args.length, known, onItem, (i) => scriptAnswer(compiled.script!.call(...body.args[i]!), limits)) };
    case 'fold':
      return fold(compiled, body.items, body.states, limits, known, onItem);
  }
}

/** Each item's answer in order: a failure the host already knows, or what `run` gives (after `onItem`). */
async function eachItem(
  count: number,
  known: Map<number, ItemFailure>,
  onItem: OnItem,
  run: (index: number) => ItemResult | Promise<ItemResult>,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (let i = 0; i < count; i++) {
    const failure = known.get(i);
    if (failure) {
      results.push({ ok: false, failure });
      continue;
    }
    onItem(i);
    results.push(await run(i));
  }
  return results;
}

async function evaluateOne(expression: jsonata.Expression, input: unknown, limits: UserCodeLimits): Promise<ItemResult> {
  let value: unknown;
  try {
    value = await expression.evaluate(input);
  } catch (error) {
    return { ok: false, failure: expressionFailure(error, limits) };
  }
  if (value === undefined) return { ok: true, value: undefined };
  // Its size as JSON, which is how it would be stored.
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return { ok: false, failure: { code: 'invalid_result', message: `the expression's value is not JSON: ${(error as Error).message}` } };
  }
  const checked = json === undefined ? null : checkSize(json.length, limits);
  if (checked) return { ok: false, failure: checked };
  // What crosses back to the host must be cloneable: functions (lambdas) are left out, as JSON leaves them out.
  let plain: unknown;
  try {
    plain = structuredClone(value);
  } catch {
    plain = withoutFunctions(value);
  }
  return checkDepth(plain, limits) ?? { ok: true, value: plain };
}

/** A copy of a value that JSON could write, without the functions it holds (arrays keep their length with null). */
function withoutFunctions(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'function' ? null : withoutFunctions(item)));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item !== 'function') copy[key] = withoutFunctions(item);
  return copy;
}

/** JSONata throws plain objects with a code (D1012 its timeout, D1011 its stack, D2015 its sequence length). */
function expressionFailure(error: unknown, limits: UserCodeLimits): ItemFailure {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'D1012') return { code: 'timeout', message: `the expression ran longer than ${limits.expressionTimeoutMs} ms` };
  if (code === 'D1011') return { code: 'too_deep', message: `the expression nested deeper than ${limits.expressionStackDepth} levels (unbounded recursion?)` };
  if (code === 'D2015') return { code: 'memory', message: `the expression built a sequence longer than ${limits.expressionSequenceLength} items` };
  if (error instanceof RangeError) return { code: 'too_deep', message: `the expression nested too deeply: ${error.message}` };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? { code: 'expression_error', message: `${code}: ${text}`, details: { jsonata: code } } : { code: 'expression_error', message: text };
}

function scriptAnswer(result: ScriptResult, limits: UserCodeLimits): ItemResult {
  if (!result.ok) {
    const { code, message, line } = result.error;
    return { ok: false, failure: { code, message, ...(line === undefined ? {} : { details: { line } }) } };
  }
  return checkDepth(result.value, limits) ?? { ok: true, value: result.value };
}

function checkSize(bytes: number, limits: UserCodeLimits): ItemFailure | null {
  if (bytes <= limits.maxResultBytes) return null;
  return { code: 'too_large', message: `the result is ${bytes} bytes as JSON, more than the limit of ${limits.maxResultBytes}` };
}

function checkDepth(value: unknown, limits: UserCodeLimits): { ok: false; failure: ItemFailure } | null {
  const depth = depthOf(value, limits.maxResultDepth + 1);
  if (depth <= limits.maxResultDepth) return null;
  return { ok: false, failure: { code: 'too_deep', message: `the result nests deeper than ${limits.maxResultDepth} levels` } };
}

/** How deeply a JSON value nests, counting no further than `cap`. */
export function depthOf(value: unknown, cap: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (cap <= 1) return 1;
  let deepest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const d = depthOf(child, cap - 1);
    if (d > deepest) deepest = d;
    if (deepest >= cap - 1) break;
  }
  return 1 + deepest;
}

/**
 * An actor's reducer over its inputs, key by key in order. A failing message is supervised as the node says:
 * `restart` resets the key's state, `resume` keeps it, `stop` fails the key's later messages.
 */
function fold(
  compiled: Compiled,
  items: { key: string; event: unknown }[],
  initial: [key: string, state: KeyState][],
  limits: UserCodeLimits,
  known: Map<number, ItemFailure>,
  onItem: OnItem,
): JobOutcome {
  const program = compiled.program as Extract<Program, { kind: 'reducer' }>;
  const states = new Map<string, KeyState>(initial);
  const results: ItemResult[] = [];
  const fresh = (): unknown => (program.initialState === undefined ? {} : structuredClone(program.initialState));
  for (let i = 0; i < items.length; i++) {
    const { key, event } = items[i]!;
    let entry = states.get(key);
    if (!entry) states.set(key, (entry = { state: fresh(), stopped: false }));
    if (entry.stopped) {
      results.push({ ok: false, failure: { code: 'actor_stopped', message: `the actor for key "${key}" was stopped by an earlier failure`, details: { key } } });
      continue;
    }
    const fail = (failure: ItemFailure): void => {
      if (program.strategy === 'restart') entry.state = fresh();
      if (program.strategy === 'stop') entry.stopped = true;
      results.push({ ok: false, failure: { ...failure, details: { key, strategy: program.strategy, ...failure.details } } });
    };
    const forced = known.get(i);
    if (forced) {
      fail(forced);
      continue;
    }
    onItem(i);
    const answer = scriptAnswer(compiled.script!.call(entry.state, event), limits);
    if (!answer.ok) {
      fail(answer.failure);
      continue;
    }
    const value = answer.value as { state?: unknown; emit?: unknown } | null;
    if (typeof value !== 'object' || value === null || !('state' in value)) {
      fail({ code: 'invalid_result', message: 'the reducer must return {state, emit}' });
      continue;
    }
    try {
      const emits = toEmits(value.emit, 'emit');
      entry.state = value.state;
      results.push({ ok: true, value: emits });
    } catch (error) {
      fail(error instanceof NodeFailure ? { code: error.code, message: error.message } : { code: 'invalid_result', message: String(error) });
    }
  }
  return { results, states: [...states] };
}
