/**
 * Imported logs are executions of their own, against a real server on SQLite and on PostgreSQL: two imports of the
 * same hosts (the same log twice, under another name and under the same one, and a log and its own export) never
 * share lanes, clocks or causality — each event's causal past, future and concurrent counts are those its own log
 * gives — and no import lands among the live events. A log with lines its regex does not cover names each of them in
 * the answer, or with `strict=true` is refused with a 400 naming them. Imports are listed, renamed and deleted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happenedBefore, type VectorClock } from '../../../shared/clock.js';
import type { StoredEvent } from '../../../shared/event.js';
import { parseShiViz, processOf, SHIVIZ_REGEX, toShiVizLog, type ShiVizOptions } from '../../../shared/shiviz.js';
import { silentLogger } from '../../logger.js';
import { startCauseway, type Causeway } from '../../start.js';
import { client } from '../testing/client.js';
import { storeBackends } from '../../testing/store-backends.js';

const DATA = '/work/shared/data/shiviz/';
const TEXT = { 'content-type': 'text/plain' };
const BROADCAST_REGEX = '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)';
const BROADCAST = readFileSync(`${DATA}reliable-broadcast.log`, 'utf8');
const COMPARISON = readFileSync(`${DATA}multiple-comparison.log`, 'utf8');
const DELIMITER = '^=== (?<trace>.*) ===$';

const BACKENDS = await storeBackends('executions test');

interface Counts {
  past: number;
  future: number;
  concurrent: number;
}

/**
 * Each event's counts computed within its own execution of its own log, by comparing clocks pairwise, keyed by
 * `<execution label>|<process>:<own counter>`.
 */
function countsWithin(text: string, options: ShiVizOptions): Map<string, Counts> {
  const parsed = parseShiViz(text, options);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const out = new Map<string, Counts>();
  for (const execution of parsed.log.executions) {
    const rename = (h: string) => processOf(parsed.log, execution.label, h);
    const events = execution.events.map((e) => {
      const clock: Record<string, number> = {};
      for (const [h, n] of Object.entries(e.clock)) clock[rename(h)] = n;
      return { process: rename(e.host), clock: clock as VectorClock };
    });
    for (const e of events) {
      const past = events.filter((f) => happenedBefore(f.clock, e.clock)).length;
      const future = events.filter((f) => happenedBefore(e.clock, f.clock)).length;
      out.set(`${execution.label}|${e.process}:${e.clock[e.process]}`, { past, future, concurrent: events.length - past - future - 1 });
    }
  }
  return out;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe.each(BACKENDS)('imported executions on $name', ({ url, drop, skip }) => {
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

  const importing = async (params: Record<string, string>, body: string) => {
    const r = await api.post(`/api/imports/shiviz?${q(params)}`, body, TEXT);
    expect(r.status, r.text).toBe(201);
    return r.json as { import: { id: string; executions: { id: string; label: string; events: number; hosts: string[] }[] } };
  };

  /** Every event of one execution, page by page. */
  async function eventsOf(execution: string): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    for (let after = 0; ; ) {
      const page = (await api.get(`/api/events?${q({ execution, after: String(after), limit: '500' })}`)).json;
      out.push(...(page.events as StoredEvent[]));
      if (page.next === null) return out;
      after = page.next as number;
    }
  }

  /** Checks every event of the import against its own log's counts, asking the server within its execution. */
  async function expectOwnCausality(imported: Awaited<ReturnType<typeof importing>>, expected: Map<string, Counts>) {
    let checked = 0;
    for (const execution of imported.import.executions) {
      const events = await eventsOf(execution.id);
      expect(events).toHaveLength(execution.events);
      for (const e of events) {
        const answer = (await api.get(`/api/events/${encodeURIComponent(e.id)}/causality?${q({ execution: execution.id, limit: '1' })}`)).json;
        const want = expected.get(`${execution.label}|${e.process}:${e.vectorClock[e.process]}`);
        expect(want, e.id).toBeDefined();
        expect({ past: answer.pastCount, future: answer.futureCount, concurrent: answer.concurrent }, e.id).toEqual(want);
        checked++;
      }
    }
    return checked;
  }

  it.skipIf(skip)('keeps the same log imported twice, and a log and its own export, apart: every count is its own log’s', async () => {
    const options = { regex: BROADCAST_REGEX };
    const expected = countsWithin(BROADCAST, options);
    const first = await importing({ name: 'rb.log', ...options }, BROADCAST);
    const again = await importing({ name: 'rb-again.log', ...options }, BROADCAST);
    const same = await importing({ name: 'rb.log', ...options }, BROADCAST);
    expect(new Set([first.import.id, again.import.id, same.import.id]).size).toBe(3);
    // The hosts are the same in all three: only executions keep them apart.
    expect(again.import.executions[0]!.hosts).toEqual(first.import.executions[0]!.hosts);

    // The first import exported as a GoVector log (as the timeline's "Export ShiViz" writes it) and imported again.
    const exported = toShiVizLog((await eventsOf(first.import.executions[0]!.id)).map((e) => ({ process: e.process, vectorClock: e.vectorClock, text: String((e.data as { text: string }).text) })));
    const reimported = await importing({ name: 'rb-export.log' }, exported);
    expect(countsWithin(exported, {})).toEqual(expected);

    let checked = 0;
    for (const imported of [first, again, same, reimported]) checked += await expectOwnCausality(imported, expected);
    expect(checked).toBe(4 * expected.size);

    // Nothing of them is among the live events.
    const live = (await api.get('/api/timeline/events?limit=1000')).json;
    expect(live.id).toEqual([]);
    // A source alone still reads the events of the newest import of that name.
    const bySource = (await api.get(`/api/events?${q({ source: 'shiviz://rb.log', limit: '1000' })}`)).json.events as StoredEvent[];
    expect(bySource).toHaveLength(expected.size);
    const sameIds = new Set((await eventsOf(same.import.executions[0]!.id)).map((e) => e.position));
    expect(bySource.every((e) => sameIds.has(e.position))).toBe(true);
    // And an imported event's causality, asked by id alone, answers within that import.
    const one = bySource[bySource.length - 1]!;
    const answer = (await api.get(`/api/events/${encodeURIComponent(one.id)}/causality`)).json;
    expect(answer.pastCount).toBe(expected.get(`|${one.process}:${one.vectorClock[one.process]}`)!.past);
  });

  it.skipIf(skip)('keeps each execution of a log with a delimiter apart, imported twice', async () => {
    const options = { regex: SHIVIZ_REGEX, delimiter: DELIMITER };
    const expected = countsWithin(COMPARISON, options);
    const first = await importing({ name: 'cmp.log', ...options }, COMPARISON);
    const second = await importing({ name: 'cmp-again.log', ...options }, COMPARISON);
    expect(first.import.executions.length).toBeGreaterThan(1);
    expect(new Set(first.import.executions.map((e) => e.id)).size).toBe(first.import.executions.length);
    expect((await expectOwnCausality(first, expected)) + (await expectOwnCausality(second, expected))).toBe(2 * expected.size);
  });

  it.skipIf(skip)('names each line its regex does not cover, and with strict=true refuses the log with a 400 naming them', async () => {
    const lines = BROADCAST.split('\n');
    const uncovered = lines.flatMap((line, i) => (line.trim() !== '' && !/\{"node\d" : /.test(line) ? [i + 1] : []));
    expect(uncovered.length).toBeGreaterThan(0);
    const r = await api.post(`/api/imports/shiviz?${q({ name: 'uncovered.log', regex: BROADCAST_REGEX })}`, BROADCAST, TEXT);
    expect(r.status).toBe(201);
    expect(r.json.unmatched.map((u: { line: number }) => u.line)).toEqual(uncovered);
    expect(r.json.unmatchedCount).toBe(uncovered.length);
    for (const u of r.json.unmatched as { line: number; text: string }[]) expect(lines[u.line - 1]!.startsWith(u.text.replace(/…$/, ''))).toBe(true);

    const before = (await api.get('/api/imports')).json.imports.length;
    const strict = await api.post(`/api/imports/shiviz?${q({ name: 'strict.log', regex: BROADCAST_REGEX, strict: 'true' })}`, BROADCAST, TEXT);
    expect(strict.status).toBe(400);
    expect(strict.json.error.code).toBe('unmatched_lines');
    expect(strict.json.error.details.map((d: { line: number }) => d.line)).toEqual(uncovered);
    expect(strict.json.error.message).toContain(`line${uncovered.length === 1 ? '' : 's'} ${uncovered[0]}`);
    // Nothing of a refused log is stored or listed.
    expect((await api.get('/api/imports')).json.imports).toHaveLength(before);
  });

  it.skipIf(skip)('lists imports newest first, renames one, and deletes one with every event it stored', async () => {
    const a = await importing({ name: 'a.log' }, 'x {"x":1}\nhello\ny {"x":1,"y":1}\nhi\n');
    const b = await importing({ name: 'b.log' }, 'x {"x":1}\nhello\n');
    const list = (await api.get('/api/imports')).json.imports as { id: string; name: string; events: number }[];
    expect(list.slice(0, 2).map((i) => [i.id, i.name, i.events])).toEqual([
      [b.import.id, 'b.log', 1],
      [a.import.id, 'a.log', 2],
    ]);

    const renamed = await api.put(`/api/imports/${a.import.id}/name`, { name: 'run 7 (before the fix)' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: a.import.id, name: 'run 7 (before the fix)', source: 'shiviz://a.log' });
    expect((await api.get(`/api/imports/${a.import.id}`)).json.name).toBe('run 7 (before the fix)');
    expect((await api.put(`/api/imports/${a.import.id}/name`, { name: ' ' })).status).toBe(400);

    const execution = a.import.executions[0]!.id;
    const [event] = await eventsOf(execution);
    expect((await api.del(`/api/imports/${a.import.id}`)).status).toBe(204);
    expect((await api.get(`/api/imports/${a.import.id}`)).status).toBe(404);
    expect(await eventsOf(execution)).toEqual([]);
    expect((await api.get(`/api/events/${encodeURIComponent(event!.id)}/causality?${q({ execution })}`)).status).toBe(404);
    expect((await api.del(`/api/imports/${a.import.id}`)).status).toBe(404);
    expect((await api.put('/api/imports/imp-000000000000/name', { name: 'x' })).status).toBe(404);
    // The other import is untouched.
    expect(await eventsOf(b.import.executions[0]!.id)).toHaveLength(1);
  });
});
