/**
 * Re-driving dead letters end to end, on a real server, on SQLite and on PostgreSQL: a function node fails for some
 * inputs (they reach `$deadletter`), revision 2 fixes it; a dry-run re-drive lists what revision 2 derives as extra
 * outputs and writes nothing live; a live one stores those outputs with the inputs' causation and correlation and
 * records each letter re-driven; a repeat stores nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CE_BATCH, cloudEvent } from '../http/testing/bodies.js';
import { client, waitFor } from '../http/testing/client.js';
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway } from '../start.js';
import { storeBackends } from '../testing/store-backends.js';


const BACKENDS = await storeBackends('re-drive test');

/**
 * http in → tag → fn → show, and in → side: revision 1's fn fails on negative readings (the tagged events tag
 * derived), revision 2's takes them. `side` takes the same readings and is never part of a re-drive.
 */
const flow = (code: string) => ({
  name: 'redrive',
  nodes: [
    { id: 'in', type: 'http', config: { types: ['reading.redrive'] } },
    { id: 'tag', type: 'transform', config: { expression: '{"t": data.t}', type: 'reading.tagged' } },
    { id: 'side', type: 'transform', config: { expression: '{"seen": data.t}', type: 'reading.seen' } },
    { id: 'fn', type: 'function', config: { code } },
    { id: 'show', type: 'debug', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'tag' },
    { id: 'e2', source: 'tag', target: 'fn' },
    { id: 'e3', source: 'fn', target: 'show' },
    { id: 'e4', source: 'in', target: 'side' },
  ],
});
const FAILING = "if (event.data.t < 0) throw new Error('negative reading'); return { type: 'reading.ok', data: { t: event.data.t } };";
const FIXED = "return { type: 'reading.ok', data: { t: Math.abs(event.data.t) } };";

describe.each(BACKENDS)('re-driving dead letters on $name', ({ url, drop, skip }) => {
  let app: Causeway;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    if (skip) return;
    app = await startCauseway({ config: { port: 0, host: '127.0.0.1', store: { url: await url() } }, env: {}, demo: false, buildWeb: false, logger: silentLogger() });
    api = client(app.url);
  });
  afterAll(async () => {
    await app?.close();
    if (!skip) await drop();
  });

  it.skipIf(skip)('dry-run shows the fixed outputs as extra; live stores them with causation and correlation, marks each re-driven; a repeat stores nothing twice', async () => {
    const flowId = (await api.post('/api/flows', flow(FAILING))).json.id as string;
    expect((await api.post(`/api/flows/${flowId}/deploy`)).status).toBe(200);
    const readings = [3, -4, 5, -6].map((t) => cloudEvent({ type: 'reading.redrive', data: { t } }));
    expect((await api.post('/api/events', readings, CE_BATCH)).status).toBe(202);
    const letters = await waitFor(async () => {
      const page = (await api.get(`/api/deadletters?flowId=${flowId}`)).json;
      return page.deadLetters.length === 2 ? page.deadLetters : null;
    });
    expect(letters.map((l: { nodeId: string; error: { message: string } }) => [l.nodeId, l.error.message])).toEqual([
      ['fn', expect.stringContaining('negative reading')],
      ['fn', expect.stringContaining('negative reading')],
    ]);
    const ids = letters.map((l: { id: string }) => l.id) as string[];
    const inputs = letters.map((l: { input: { id: string } }) => l.input.id) as string[];
    // Filtered by node and by error code; the other node has none.
    expect((await api.get(`/api/deadletters?flowId=${flowId}&nodeId=show`)).json.deadLetters).toEqual([]);
    expect((await api.get(`/api/deadletters?flowId=${flowId}&code=${letters[0].error.code}`)).json.deadLetters).toHaveLength(2);

    const current = (await api.get(`/api/flows/${flowId}`)).json;
    expect((await api.put(`/api/flows/${flowId}`, flow(FIXED), { 'if-match': `"${current.revision}"` })).status).toBe(200);
    const okBefore = (await api.get(`/api/events?flowId=${flowId}&type=reading.ok&limit=100`)).json.events.length as number;
    expect(okBefore).toBe(2);
    const taggedBefore = (await api.get(`/api/events?flowId=${flowId}&type=reading.tagged&limit=100`)).json.events.length as number;
    const seenBefore = (await api.get(`/api/events?flowId=${flowId}&type=reading.seen&limit=100`)).json.events.length as number;

    // Through revision 1 they fail again, each with the new error.
    const still = await api.post('/api/deadletters/redrive', { deadLetters: ids, revision: 1 });
    expect(still.json.entries).toEqual(ids.map((id) => ({ deadLetterId: id, nodeId: 'fn', outcome: 'failed', error: { code: letters[0].error.code, message: expect.stringContaining('negative reading') }, outputs: [] })));

    const dry = await api.post('/api/deadletters/redrive', { deadLetters: ids, revision: 2, mode: 'dry-run' });
    expect(dry.status).toBe(200);
    expect(dry.json.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['redriven', 'redriven']);
    expect(dry.json.replay).toMatchObject({ state: 'done', revision: 2, diff: { identical: 0, changed: 0, missing: 0, extra: 2 }, byNode: { fn: { extra: 2 } } });
    expect(dry.json.stored).toBe(0);
    expect((await api.get(`/api/events?flowId=${flowId}&type=reading.ok&limit=100`)).json.events).toHaveLength(okBefore);
    expect((await api.get(`/api/deadletters?flowId=${flowId}`)).json.deadLetters.every((l: { outcome: unknown }) => l.outcome === null)).toBe(true);

    const live = await api.post('/api/deadletters/redrive', { deadLetters: ids, revision: 2, mode: 'live' });
    expect(live.status).toBe(200);
    expect(live.json.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['redriven', 'redriven']);
    expect(live.json.stored).toBe(4); // two outputs and two outcome records
    const ok = (await api.get(`/api/events?flowId=${flowId}&type=reading.ok&limit=100`)).json.events as {
      id: string;
      causationId: string;
      correlationId: string;
      revision: number;
      data: { t: number };
    }[];
    const redriven = ok.filter((e) => inputs.includes(e.causationId));
    expect(redriven.map((e) => e.data.t).sort()).toEqual([4, 6]);
    for (const e of redriven) {
      const input = (await api.get(`/api/events/${e.causationId}`)).json;
      expect(e.correlationId).toBe(input.correlationId);
      expect(e.revision).toBe(2);
      expect(live.json.entries.flatMap((x: { outputs: string[] }) => x.outputs)).toContain(e.id);
    }
    const marked = (await api.get(`/api/deadletters?flowId=${flowId}`)).json.deadLetters as { id: string; outcome: { outcome: string; revision: number } }[];
    expect(marked.map((l) => l.id)).toEqual(ids);
    expect(marked.map((l) => [l.outcome.outcome, l.outcome.revision])).toEqual([
      ['redriven', 2],
      ['redriven', 2],
    ]);

    // Nothing before the failing node, or beside it, ran again.
    expect((await api.get(`/api/events?flowId=${flowId}&type=reading.tagged&limit=100`)).json.events).toHaveLength(taggedBefore);
    expect((await api.get(`/api/events?flowId=${flowId}&type=reading.seen&limit=100`)).json.events).toHaveLength(seenBefore);

    const again = await api.post('/api/deadletters/redrive', { deadLetters: ids, revision: 2, mode: 'live' });
    expect(again.status).toBe(200);
    expect(again.json.stored).toBe(0);
    expect((await api.get(`/api/events?flowId=${flowId}&type=reading.ok&limit=100`)).json.events).toHaveLength(ok.length);
    expect((await api.get(`/api/events?stream=$redrive&flowId=${flowId}&limit=100`)).json.events).toHaveLength(2);
    // A dry-run after the live one finds the stored outputs identical.
    const after = await api.post('/api/deadletters/redrive', { deadLetters: ids, revision: 2 });
    expect(after.json.replay.diff).toEqual({ identical: 2, changed: 0, missing: 0, extra: 0 });
  });

  it.skipIf(skip)('refuses an unknown dead letter (404) and an empty list (400)', async () => {
    const missing = await api.post('/api/deadletters/redrive', { deadLetters: ['nope'], mode: 'dry-run' });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
    const bad = await api.post('/api/deadletters/redrive', { deadLetters: [] });
    expect(bad.status).toBe(400);
  });
});
