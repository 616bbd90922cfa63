/**
 * Replays outlive their server: a server on a SQLite file runs a replay and is killed (SIGKILL) while another
 * replay runs; the server started again on the same file answers the finished replay with the same status and
 * diff, and the one that was running as failed, interrupted by a restart.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerChild } from '../testing/spawn-server.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent, pipelineFlow } from '../http/testing/bodies.js';
import { client, waitFor } from '../http/testing/client.js';
import { INTERRUPTED } from './records.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-replay-restart-'));
const dbPath = join(dir, 'replays.db');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startChild(): Promise<ServerChild> {
  const { proc, ready } = spawnServer(dbPath);
  children.push(proc);
  return ready;
}

const killed = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });

describe('replays across a restart', () => {
  it('answers a finished replay with the same diff, and one that was running as interrupted', { timeout: 60_000 }, async () => {
    const first = await startChild();
    let api = client(first.url);
    const flow = pipelineFlow('restart');
    const flowId = (await api.post('/api/flows', flow)).json.id as string;
    expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
    const from = new Date(Date.now() - 1).toISOString();
    expect((await api.post('/api/events', [4, 9, 12, 7, 15].map((t) => cloudEvent({ data: { t } })), CE_BATCH)).status).toBe(202);
    await waitFor(async () => (await api.get(`/api/events?flowId=${flowId}`)).json.events.filter((e: { causationId: string | null }) => e.causationId).length === 6, 10_000);

    const revision = (await api.put(`/api/flows/${flowId}`, { ...flow, nodes: flow.nodes.map((n) => (n.id === 'warm' ? { ...n, config: { expression: 'data.t > 5' } } : n)) }, { 'if-match': '"1"' })).json.revision as number;
    const done = (await api.post('/api/replays', { flowId, revision, from, mode: 'dry-run' })).json.id as string;
    const finished = await waitFor(async () => {
      const r = await api.get(`/api/replays/${done}`);
      return r.json.state !== 'running' ? r.json : null;
    }, 10_000);
    expect(finished).toMatchObject({ state: 'done', input: 5, diff: { identical: 6, changed: 0, missing: 0, extra: 2 } });
    const events = (await api.get(`/api/replays/${done}/events`)).json.events;

    // Readings an hour apart, replayed at their own pace: this replay is still running when the server dies.
    const t0 = Date.parse(from) - 10 * 3_600_000;
    const paced = [0, 1, 2].map((h) => cloudEvent({ type: 'reading.paced', time: new Date(t0 + h * 3_600_000).toISOString(), data: { t: 20 } }));
    expect((await api.post('/api/events', paced, CE_BATCH)).status).toBe(202);
    const slow = (await api.post('/api/replays', { flowId, from: new Date(t0).toISOString(), to: from, mode: 'dry-run', speed: 1 })).json.id as string;
    await waitFor(async () => (await api.get(`/api/replays/${slow}`)).json.processed >= 1, 10_000);
    expect((await api.get(`/api/replays/${slow}`)).json.state).toBe('running');
    await killed(first.proc);

    const second = await startChild();
    api = client(second.url);
    const again = await api.get(`/api/replays/${done}`);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(finished);
    expect((await api.get(`/api/replays/${done}/events`)).json.events).toEqual(events);
    const interrupted = (await api.get(`/api/replays/${slow}`)).json;
    expect(interrupted).toMatchObject({ id: slow, state: 'failed', error: INTERRUPTED, input: 3 });
    expect(Date.parse(interrupted.finishedAt)).toBeGreaterThan(Date.parse(interrupted.startedAt));
    const listed = (await api.get('/api/replays')).json.replays as { id: string; state: string; changes?: unknown }[];
    expect(listed.map((r) => [r.id, r.state])).toEqual([
      [slow, 'failed'],
      [done, 'done'],
    ]);
    expect(listed[0]).not.toHaveProperty('changes');
    await killed(second.proc);
  });
});
