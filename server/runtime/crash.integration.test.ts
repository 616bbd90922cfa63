/**
 * Kill the runtime mid-stream (SIGKILL), restart it, and prove that every acknowledged source event and every
 * derived event is stored exactly once, actor state was applied exactly once, causation chains are whole and
 * vector clocks respect happened-before along every chain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { happenedBefore } from '../../shared/clock.js';
import type { StoredEvent } from '../../shared/event.js';
import { openStore } from '../store/index.js';
import { CRASH_FLOW } from './testing/crash-child.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-crash-'));
const dbPath = join(dir, 'crash.db');
const child = join(import.meta.dirname, 'testing', 'crash-child.ts');

function startChild(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      if (String(d).includes('ready')) resolve(proc);
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code}: ${stderr}`)));
  });
}

const exited = (proc: ChildProcess) => new Promise<void>((resolve) => proc.once('exit', () => resolve()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readAll(): Promise<StoredEvent[]> {
  const store = await openStore(`sqlite:${dbPath}`);
  try {
    const out: StoredEvent[] = [];
    for (let after = 0; ; ) {
      const page = await store.read({ after, limit: 10_000, flowId: CRASH_FLOW.id });
      if (page.length === 0) return out;
      out.push(...page);
      after = page[page.length - 1]!.position;
    }
  } finally {
    await store.close();
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crash and restart of the runtime', () => {
  it('loses no acknowledged event and stores every derived event exactly once', { timeout: 60_000 }, async () => {
    const first = await startChild();
    await sleep(1500);
    first.kill('SIGKILL');
    await exited(first);
    const beforeRestart = await readAll();
    const sourcesAtKill = beforeRestart.filter((e) => e.nodeId === 'sim');
    expect(sourcesAtKill.length).toBeGreaterThan(100);

    const second = await startChild();
    await sleep(1500);
    second.kill('SIGTERM');
    await exited(second);
    const events = await readAll();

    const byId = new Map(events.map((e) => [e.id, e]));
    const sources = events.filter((e) => e.nodeId === 'sim');
    const converted = events.filter((e) => e.nodeId === 'convert');
    const counted = events.filter((e) => e.nodeId === 'count' && e.type === 'warm.counted');
    expect(events.filter((e) => e.stream === '$deadletter')).toEqual([]);

    // Every source event acknowledged before the kill is still there, once.
    for (const s of sourcesAtKill) expect(byId.get(s.id)).toEqual(s);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    // Exactly one transform output per source event that passed the filter, none for the others.
    const warm = sources.filter((s) => (s.data as { t: number }).t > 8);
    const convertedBy = new Map<string, number>();
    for (const c of converted) convertedBy.set(c.causationId!, (convertedBy.get(c.causationId!) ?? 0) + 1);
    expect(converted.length).toBe(warm.length);
    for (const s of warm) expect(convertedBy.get(s.id)).toBe(1);

    // Actor state applied exactly once per input: each fridge counts 1, 2, 3 … with no gap and no repeat.
    expect(counted.length).toBe(converted.length);
    const counts = new Map<string, number[]>();
    for (const c of counted) {
      const { device, n } = c.data as { device: string; n: number };
      counts.set(device, [...(counts.get(device) ?? []), n]);
    }
    for (const [, ns] of counts) expect([...ns].sort((a, b) => a - b)).toEqual(ns.map((_, i) => i + 1));

    // Causation chains are whole and clocks respect happened-before along every link.
    for (const e of [...converted, ...counted]) {
      const cause = byId.get(e.causationId!);
      expect(cause, `cause of ${e.id}`).toBeDefined();
      expect(e.correlationId).toBe(cause!.correlationId);
      expect(happenedBefore(cause!.vectorClock, e.vectorClock)).toBe(true);
    }

    // Each fridge's own counter strictly increases across the restart.
    const own = new Map<string, number>();
    for (const s of sources) {
      const n = s.vectorClock[s.process]!;
      expect(n).toBeGreaterThan(own.get(s.process) ?? 0);
      own.set(s.process, n);
    }
  });
});
