/**
 * A server killed (SIGKILL) under publishing load and started again on the same SQLite file: every event that
 * was acknowledged with 202 is stored exactly once, the deployed flow resumed from its checkpoint, and it
 * processed every acknowledged event exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, spawnServer, type ServerChild } from '../testing/spawn-server.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client, waitFor } from './testing/client.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-http-fault-'));
const dbPath = join(dir, 'fault.db');
const children: ChildProcess[] = [];

function startChild(): Promise<ServerChild> {
  const { proc, ready } = spawnServer(dbPath);
  children.push(proc);
  return ready;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stored {
  id: string;
  type: string;
  causationId: string | null;
  nodeId: string | null;
  stream: string;
  position: number;
}

async function readAll(url: string, query: string): Promise<Stored[]> {
  const api = client(url);
  const out: Stored[] = [];
  for (let after = 0; ; ) {
    const page = await api.get(`/api/events?${query}&after=${after}&limit=10000`);
    out.push(...(page.json.events as Stored[]));
    if (page.json.next === null) return out;
    after = page.json.next;
  }
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a server killed under load', () => {
  it('keeps every acknowledged event exactly once and the flow processes each after the restart', { timeout: 90_000 }, async () => {
    const first = await startChild();
    const api = client(first.url);
    const flow = (await api.post('/api/flows', pipelineFlow('fault'))).json;
    // Everything is warm, so every source event has one derived event from the transform and one from the store sink.
    flow.nodes[1].config.expression = 'data.t > -1000';
    await api.put(`/api/flows/${flow.id}`, flow, { 'if-match': '"1"' });
    expect((await api.post(`/api/flows/${flow.id}/deploy`)).status).toBe(200);

    const acked = new Set<string>();
    let stop = false;
    let sent = 0;
    const publisher = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const batch = Array.from({ length: 1 + (i % 5) }, (_, k) => cloudEvent({ id: `p${n}-${i}-${k}`, stream: `fridge-${n}`, data: { t: (i % 30) - 5 } }));
        sent += batch.length;
        try {
          const res = await fetch(`${first.url}/api/events`, { method: 'POST', headers: CE_BATCH, body: JSON.stringify(batch) });
          if (res.status === 202) for (const a of ((await res.json()) as { events: { id: string }[] }).events) acked.add(a.id);
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(publisher));
    await sleep(1500);
    first.proc.kill('SIGKILL');
    await exited(first.proc);
    stop = true;
    await load;
    expect(acked.size).toBeGreaterThan(50);
    expect(sent).toBeGreaterThanOrEqual(acked.size);

    const second = await startChild();
    const status = await client(second.url).get(`/api/flows/${flow.id}/status`);
    expect(status.json.state).toBe('running');

    // One more event after the restart: the resumed flow handles new input too.
    const late = cloudEvent({ id: 'after-restart', data: { t: 1 } });
    expect((await client(second.url).post('/api/events', [late], CE_BATCH)).status).toBe(202);
    acked.add(late.id);

    // Source → transform output (caused by the source) → store-sink output (caused by the transform output).
    const chains = (events: Stored[]) => {
      const conv = events.filter((e) => e.nodeId === 'conv');
      const keptCauses = new Set(events.filter((e) => e.nodeId === 'keep').map((e) => e.causationId));
      const convertedSources = new Set(conv.filter((c) => keptCauses.has(c.id)).map((c) => c.causationId));
      return [...acked].every((id) => convertedSources.has(id));
    };
    const derived = await waitFor(async () => {
      const events = await readAll(second.url, `flowId=${flow.id}`);
      return chains(events) ? events : null;
    }, 30_000);

    const sources = await readAll(second.url, 'type=reading.recorded');
    const count = new Map<string, number>();
    for (const e of sources) count.set(e.id, (count.get(e.id) ?? 0) + 1);
    for (const id of acked) expect(count.get(id), `acknowledged ${id}`).toBe(1);

    const perCause = (nodeId: string) => {
      const m = new Map<string, number>();
      for (const e of derived.filter((d) => d.nodeId === nodeId)) m.set(e.causationId!, (m.get(e.causationId!) ?? 0) + 1);
      return m;
    };
    const converted = perCause('conv');
    for (const id of acked) expect(converted.get(id), `transform output for ${id}`).toBe(1);
    const kept = new Map<string, number>();
    const convById = new Map(derived.filter((d) => d.nodeId === 'conv').map((d) => [d.id, d]));
    for (const e of derived.filter((d) => d.nodeId === 'keep')) {
      const root = convById.get(e.causationId!)!.causationId!;
      kept.set(root, (kept.get(root) ?? 0) + 1);
    }
    for (const id of acked) expect(kept.get(id), `stored output for ${id}`).toBe(1);
    expect(new Set(derived.map((e) => e.id)).size).toBe(derived.length);
    expect(derived.filter((e) => e.stream === '$deadletter')).toEqual([]);

    second.proc.kill('SIGTERM');
    await exited(second.proc);
    expect(second.proc.exitCode).toBe(0);
  });
});
