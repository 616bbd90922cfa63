/**
 * A user-code thread: compiles the programs it is sent (once each), runs jobs one at a time, and records in the
 * shared progress array which item of which job is running since when, so the host can terminate it when an
 * item overruns its time even if the thread never yields.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileProgram, disposeProgram, runJob, type Compiled } from './run-job.js';
import { PROGRESS_ITEM, PROGRESS_JOB, PROGRESS_STARTED_AT, type JobAnswer, type JobMessage, type ToThread } from './protocol.js';

const port = parentPort!;
const { progress } = workerData as { progress: SharedArrayBuffer };
const slots = new Int32Array(progress);
const times = new Float64Array(progress);
const programs = new Map<number, Compiled>();

/** Jobs run one after another: a job is not started before the previous one answered. */
let queue: Promise<void> = Promise.resolve();

async function run(message: JobMessage): Promise<void> {
  let compiled = programs.get(message.programId);
  if (!compiled) {
    if (!message.program) throw new Error(`program ${message.programId} was never sent`);
    compiled = await compileProgram(message.program, message.limits);
    programs.set(message.programId, compiled);
  }
  Atomics.store(slots, PROGRESS_JOB, message.job);
  const outcome = await runJob(compiled, message.body, message.limits, message.forced, (index) => {
    times[PROGRESS_STARTED_AT] = Date.now();
    Atomics.store(slots, PROGRESS_ITEM, index);
  });
  const answer: JobAnswer = { type: 'answer', job: message.job, results: outcome.results, ...(outcome.states ? { states: outcome.states } : {}) };
  port.postMessage(answer);
}

port.on('message', (message: ToThread) => {
  if (message.type === 'release') {
    const compiled = programs.get(message.programId);
    programs.delete(message.programId);
    if (compiled) disposeProgram(compiled);
    return;
  }
  queue = queue.then(() => run(message)).catch((error: unknown) => {
    const failure = { code: 'setup', message: error instanceof Error ? error.message : String(error) };
    const results = Array.from({ length: itemCount(message) }, () => ({ ok: false as const, failure }));
    port.postMessage({ type: 'answer', job: message.job, results } satisfies JobAnswer);
  });
});

function itemCount(message: JobMessage): number {
  const { body } = message;
  return body.op === 'evaluate' ? body.inputs.length : body.op === 'call' ? body.args.length : body.items.length;
}
