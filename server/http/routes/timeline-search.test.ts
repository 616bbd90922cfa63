/**
 * `GET /api/timeline/search` in-process on the memory store: a ShiViz log imported, then searched by motif and by
 * query within its execution and a position range — and, as before executions, by its source; the live events hold
 * none of it; a query that cannot be read is a 400 naming where; the answer says when it stops short.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGS } from '../../../shared/analysis/testing/shiviz-logs.js';
import { inProcessApp } from '../testing/in-process.js';

const app = inProcessApp();
afterAll(() => app.close());
const SOURCE = 'shiviz://reliable-broadcast.log';
const search = (params: Record<string, string>) => app.request('GET', `/api/timeline/search?${new URLSearchParams(params)}`);
let positions: Map<number, { process: string; data: { text: string } }>;
let execution: string;
let otherExecution: string;

beforeAll(async () => {
  const { regex } = LOGS['reliable-broadcast.log'];
  const imported = await app.request('POST', `/api/imports/shiviz?${new URLSearchParams({ name: 'reliable-broadcast.log', regex })}`, readFileSync('/work/shared/data/shiviz/reliable-broadcast.log', 'utf8'), { 'content-type': 'text/plain' });
  expect(imported.status).toBe(201);
  execution = imported.json.import.executions[0].id;
  // Another log beside it, which a search of the first's execution never sees.
  const other = await app.request('POST', '/api/imports/shiviz?name=other.log', 'a {"a":1}\nhi\nb {"a":1,"b":1}\nho\n', { 'content-type': 'text/plain' });
  otherExecution = other.json.import.executions[0].id;
  const stored = await app.request('GET', `/api/events?${new URLSearchParams({ execution, limit: '1000' })}`);
  positions = new Map((stored.json.events as { position: number; process: string; data: { text: string } }[]).map((e) => [e.position, e]));
});

describe('GET /api/timeline/search', () => {
  it('finds the broadcasts of an imported execution, as positions of its events', async () => {
    const res = await search({ q: 'broadcast', execution });
    expect(res.status).toBe(200);
    expect(res.json.truncated).toBeNull();
    expect(res.json.scanned).toBe(positions.size);
    expect(res.json.matches.length).toBeGreaterThan(3);
    const first = (res.json.matches as number[][]).map((m) => m.map((p) => positions.get(p)!.data.text));
    expect(first).toContainEqual([
      'Sending SLDeliver(DataMessage(3,Message3)) to node2',
      'Sending SLDeliver(DataMessage(3,Message3)) to node3',
      'Received SLDeliver(DataMessage(3,Message3)) from node0',
      'Received SLDeliver(DataMessage(3,Message3)) from node0',
    ]);
  });

  it('searches the newest import of a source given without an execution, and never imports among the live events', async () => {
    const bySource = await search({ q: 'broadcast', source: SOURCE });
    expect(bySource.json).toEqual((await search({ q: 'broadcast', execution })).json);
    const live = await search({ q: '*' });
    expect(live.json).toEqual({ matches: [], scanned: 0, truncated: null });
    const wrong = await search({ q: '*', execution: 'not-an-execution' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toMatch(/execution/);
  });

  it('evaluates a query with payload fields and arrows within the execution and range given', async () => {
    const all = await search({ q: 'text ~ "Initiating RBBroadcast" -> within 1 text ~ "Sending SLDeliver"', execution });
    expect(all.json.matches.length).toBeGreaterThan(0);
    for (const [a, b] of all.json.matches as number[][]) expect(positions.get(a!)!.process).toBe(positions.get(b!)!.process);
    const [firstMatch] = all.json.matches as number[][];
    const cut = await search({ q: 'text ~ "Initiating RBBroadcast"', execution, before: String(firstMatch![0]! + 1) });
    expect(cut.json.matches).toEqual([[firstMatch![0]]]);
    const other = await search({ q: 'text ~ SLDeliver', execution: otherExecution });
    expect(other.json).toEqual({ matches: [], scanned: 2, truncated: null });
  });

  it('says when it stops short of every match', async () => {
    const res = await search({ q: '* -> *', execution, limit: '5' });
    expect(res.json.matches).toHaveLength(5);
    expect(res.json.truncated).toBe('matches');
  });

  it('answers a query it cannot read with a 400 invalid_search naming the position', async () => {
    const res = await search({ q: 'type = a and (' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_search', details: [{ path: 'q', position: 14, reason: 'unexpected' }] });
    expect(res.json.error.message).toMatch(/^q: at 15: expected/);
    const deep = await search({ q: `${'('.repeat(400)}*${')'.repeat(400)}` });
    expect(deep.json.error.details[0].reason).toBe('too_deep');
    const missing = await app.request('GET', '/api/timeline/search');
    expect(missing.status).toBe(400);
  });
});
