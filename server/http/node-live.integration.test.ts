/**
 * What the editor reads of a running node, against a real server on a SQLite file: its counters continue from the
 * stored totals after the server restarts (rather than starting again from zero), and its last inputs and outputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.js';
import { CE, cloudEvent, pipelineFlow } from './testing/bodies.js';
import { client, waitFor } from './testing/client.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-node-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startTestServer({ store: { url: `sqlite:${join(dir, 'counters.db')}` } });
const warm = (t: number) => cloudEvent({ data: { t } });

describe('a running node', () => {
  it('keeps its counters across a restart of the server, and shows its last events in and out', { timeout: 30_000 }, async () => {
    const first = await start();
    let api = client(first.url);
    const { id } = (await api.post('/api/flows', pipelineFlow('counted'))).json as { id: string };
    expect((await api.post(`/api/flows/${id}/deploy`, {})).status).toBe(200);
    for (const t of [10, 11, 3]) expect((await api.post('/api/events', warm(t), CE)).status).toBe(202);
    const before = await waitFor(async () => {
      const nodes = (await api.get(`/api/flows/${id}/status`)).json.nodes;
      return nodes.keep?.in === 2 && nodes;
    });
    expect(before.in).toMatchObject({ in: 3, out: 3, errors: 0 });
    expect(before.warm).toMatchObject({ in: 3, out: 2 });
    expect(Date.parse(before.conv.lastAt)).toBeGreaterThan(Date.now() - 60_000);

    const traffic = (await api.get(`/api/flows/${id}/nodes/conv/traffic`)).json;
    expect(traffic.in.map((e: { data: { t: number } }) => e.data.t)).toEqual([11, 10]);
    expect(traffic.out.map((e: { type: string; data: { celsius: number } }) => [e.type, e.data.celsius])).toEqual([
      ['reading.converted', 11],
      ['reading.converted', 10],
    ]);
    await first.close();

    const second = await start();
    api = client(second.url);
    try {
      const after = (await api.get(`/api/flows/${id}/status`)).json.nodes;
      expect(after.in).toMatchObject({ in: 3, out: 3, errors: 0 });
      expect(after.keep).toMatchObject({ in: 2 });
      expect((await api.post('/api/events', warm(12), CE)).status).toBe(202);
      const next = await waitFor(async () => {
        const nodes = (await api.get(`/api/flows/${id}/status`)).json.nodes;
        return nodes.keep?.in === 3 && nodes;
      });
      expect(next.in).toMatchObject({ in: 4, out: 4 });
      expect(next.warm).toMatchObject({ in: 4, out: 3 });
      // A new run keeps no events of the last: only what it took since it started.
      expect((await api.get(`/api/flows/${id}/nodes/conv/traffic`)).json.in.map((e: { data: { t: number } }) => e.data.t)).toEqual([12]);
      expect((await api.get(`/api/flows/${id}/nodes/nope/traffic`)).json).toEqual({ in: [], out: [] });
    } finally {
      await second.close();
    }
  });
});
