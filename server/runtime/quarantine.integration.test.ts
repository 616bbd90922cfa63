/**
 * An input whose handling kills the process (real OS processes, SIGKILL) cannot keep a flow from coming back: after
 * the first death the runtime handles what was in flight one input at a time, saving the checkpoint after each;
 * after the second death at the same input it sets that input aside as a dead letter and goes on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { openStore } from '../store/index.js';
import { Engine } from './engine.js';
import { POISON_FLOW } from './testing/poison-child.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-poison-'));
const child = join(import.meta.dirname, 'testing', 'poison-child.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  // A test that failed half-way leaves its runtime running: stop it.
  for (const proc of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  proc: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(dbPath: string): Promise<Run> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      if (String(d).includes('ready')) resolve({ proc, exit });
    });
    void exit.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before it was ready: ${stderr}`)));
  });
}

async function publish(dbPath: string, items: { id: string; data: unknown }[]): Promise<void> {
  const store = await openStore(`sqlite:${dbPath}`);
  const engine = new Engine({ store, process: 'tester' });
  try {
    for (const item of items) await engine.publish([{ id: item.id, type: 'reading', source: 'test', data: item.data }]);
  } finally {
    await engine.close();
    await store.close();
  }
}

async function readFlowEvents(dbPath: string): Promise<StoredEvent[]> {
  const store = await openStore(`sqlite:${dbPath}`);
  try {
    return await store.read({ after: 0, limit: 10_000, flowId: POISON_FLOW.id });
  } finally {
    await store.close();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an input that kills the process', () => {
  it('is quarantined after it killed the process twice; the inputs around it are handled once each', { timeout: 120_000 }, async () => {
    const dbPath = join(dir, 'poison.db');
    const first = await startChild(dbPath);
    await publish(dbPath, [
      { id: 'good-1', data: { n: 1 } },
      { id: 'bad', data: { n: 2, poison: true } },
      { id: 'good-2', data: { n: 3 } },
    ]);
    expect(await first.exit).toMatchObject({ signal: 'SIGKILL' });

    const second = await startChild(dbPath);
    expect(await second.exit).toMatchObject({ signal: 'SIGKILL' });

    const third = await startChild(dbPath);
    const events = await until('good-2 handled', async () => {
      const all = await readFlowEvents(dbPath);
      return all.some((e) => e.causationId === 'good-2' && e.nodeId === 'copy') ? all : undefined;
    });
    third.proc.kill('SIGTERM');
    expect(await third.exit).toMatchObject({ code: 0 });

    const copies = events.filter((e) => e.nodeId === 'copy' && e.type === 'reading.copied');
    expect(copies.map((e) => e.causationId).sort()).toEqual(['good-1', 'good-2']);
    const letters = events.filter((e) => e.stream === '$deadletter');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ causationId: 'bad', data: { error: { code: 'quarantined' } } });

    // The flow is healthy again: a later start is an ordinary one, and new input flows.
    const fourth = await startChild(dbPath);
    await publish(dbPath, [{ id: 'good-3', data: { n: 4 } }]);
    await until('good-3 handled', async () => ((await readFlowEvents(dbPath)).some((e) => e.causationId === 'good-3') ? true : undefined));
    fourth.proc.kill('SIGTERM');
    expect(await fourth.exit).toMatchObject({ code: 0 });
    expect((await readFlowEvents(dbPath)).filter((e) => e.stream === '$deadletter')).toHaveLength(1);
  });

  it('is not what an idle process killed twice sets aside: nothing is quarantined', { timeout: 120_000 }, async () => {
    const dbPath = join(dir, 'idle.db');
    const first = await startChild(dbPath);
    await publish(dbPath, [{ id: 'a', data: { n: 1 } }]);
    await until('a handled', async () => ((await readFlowEvents(dbPath)).some((e) => e.causationId === 'a') ? true : undefined));
    await new Promise((r) => setTimeout(r, 500)); // the checkpoint is saved every 200 ms
    first.proc.kill('SIGKILL');
    await first.exit;
    const second = await startChild(dbPath);
    second.proc.kill('SIGKILL');
    await second.exit;
    const third = await startChild(dbPath);
    await publish(dbPath, [{ id: 'b', data: { n: 2 } }]);
    await until('b handled', async () => ((await readFlowEvents(dbPath)).some((e) => e.causationId === 'b') ? true : undefined));
    third.proc.kill('SIGTERM');
    await third.exit;
    const events = await readFlowEvents(dbPath);
    expect(events.filter((e) => e.stream === '$deadletter')).toEqual([]);
    expect(events.filter((e) => e.nodeId === 'copy').map((e) => e.causationId).sort()).toEqual(['a', 'b']);
  });
});
