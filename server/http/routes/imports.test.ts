/**
 * `POST /api/imports/shiviz` against the memory store: what the parser's limits answer besides the time limit (which
 * `imports.integration.test.ts` proves against a server in its own process), and, in-process, an import stored and
 * what it refuses with a 400 naming the line or the parameter.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { startCauseway, type Causeway } from '../../start.js';
import { inProcessApp } from '../testing/in-process.js';

let server: Causeway;

beforeAll(async () => {
  server = await startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'memory:' }, imports: { parseMemoryMb: 16 } },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
  });
});
afterAll(async () => server?.close());

const importing = (body: string) => server.app.request('/api/imports/shiviz', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

describe('the ShiViz import at its memory limit', () => {
  it('answers a log that needs more memory than the parser may use with a 413 parse_out_of_memory, then goes on', async () => {
    const chord = readFileSync('/work/shared/data/shiviz/chord.log', 'utf8');
    const big = await importing(chord.repeat(50));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'parse_out_of_memory', details: [{ path: 'body', limitMb: 16 }] } });
    const small = await importing('a {"a":1}\nx\n');
    expect(small.status).toBe(201);
  });
});

describe('POST /api/imports/shiviz in-process', () => {
  const app = inProcessApp();
  afterAll(() => app.close());

  const LOG = 'alice {"alice":1}\nsent hello\nbob {"alice":1, "bob":1}\ngot hello\n';
  const post = (query: string, body: string) => app.request('POST', `/api/imports/shiviz${query}`, body, { 'content-type': 'text/plain' });

  it('answers 201 with what it stored: hosts become processes, clocks vector clocks, the file name the source', async () => {
    const res = await post('?name=chat.log', LOG);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ imported: 2, events: 2, source: 'shiviz://chat.log' });
    expect(res.json.processes).toHaveLength(2);
    const stored = await app.request('GET', `/api/events?source=${encodeURIComponent('shiviz://chat.log')}`);
    const events = stored.json.events as { process: string; vectorClock: Record<string, number> }[];
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.process).sort()).toEqual([...res.json.processes].sort());
    const [sent, got] = events;
    expect(got!.vectorClock[sent!.process]).toBe(1);
  });

  it('stores the same log imported again as another execution, each readable alone, never among the live events', async () => {
    const first = (await post('?name=again.log', LOG)).json;
    const second = (await post('?name=again.log', LOG)).json;
    expect([first.imported, second.imported]).toEqual([2, 2]);
    const [a, b] = [first.import.executions[0].id, second.import.executions[0].id];
    expect(a).not.toBe(b);
    for (const execution of [a, b]) expect((await app.request('GET', `/api/events?execution=${execution}`)).json.events).toHaveLength(2);
    expect((await app.request('GET', '/api/timeline/events?limit=100')).json.id).toEqual([]);
    const listed = (await app.request('GET', '/api/imports')).json.imports.map((i: { id: string }) => i.id);
    expect(listed.slice(0, 2)).toEqual([second.import.id, first.import.id]);
  });

  it('finds an imported event by id in an older import of the same file name when the newest lacks it', async () => {
    // Two runs of one system imported under one name: the older run went on longer, so only it has bob's third event.
    const older = (await post('?name=runs.log', `${LOG}bob {"alice":1, "bob":2}\nworked\nbob {"alice":1, "bob":3}\nworked again\n`)).json;
    const newer = (await post('?name=runs.log', LOG)).json;
    const bob = older.processes.find((p: string) => p.includes('bob'));
    const id = encodeURIComponent(`shiviz://runs.log#${bob}:3`);
    const found = await app.request('GET', `/api/events/${id}`);
    expect(found.status).toBe(200);
    expect(found.json.data.text).toBe('worked again');
    const causality = await app.request('GET', `/api/events/${id}/causality`);
    expect(causality.status).toBe(200);
    // Its past within its own run: alice's event and bob's two before it; nothing of the newer run.
    expect(causality.json).toMatchObject({ pastCount: 3, futureCount: 0, concurrent: 0 });
    // An id both runs hold is the newest's; with `execution`, the older's.
    const shared = encodeURIComponent(`shiviz://runs.log#${bob}:1`);
    expect((await app.request('GET', `/api/events/${shared}/causality`)).json.futureCount).toBe(0);
    expect((await app.request('GET', `/api/events/${shared}/causality?execution=${older.import.executions[0].id}`)).json.futureCount).toBe(2);
    expect(newer.import.id).not.toBe(older.import.id);
  });

  it('answers 400 naming `execution` when it is not an execution id, on every route that takes it', async () => {
    for (const path of ['/api/events?execution=live', '/api/timeline/events?execution=imp-1', '/api/events/x?execution=x', '/api/events/x/causality?execution=imp-000000000000']) {
      const res = await app.request('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json.error.details[0].path, path).toBe('execution');
    }
  });

  it('lists the lines its regex leaves out with their numbers, or with strict=true refuses them', async () => {
    const log = `${LOG}a stray line\n`;
    const res = await post('?name=stray.log', log);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ imported: 2, unmatched: [{ line: 5, text: 'a stray line' }], unmatchedCount: 1 });
    const strict = await post('?name=stray.log&strict=true', log);
    expect(strict.status).toBe(400);
    expect(strict.json.error).toMatchObject({ code: 'unmatched_lines', details: [{ path: 'body', line: 5 }] });
  });

  it('answers 400 naming the line of a host counting the same own counter again', async () => {
    const res = await post('', 'alice {"alice":1}\nfirst\nalice {"alice":1}\nsecond\n');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('clock_went_backwards');
    expect(res.json.error.details[0]).toMatchObject({ path: 'body', line: 3 });
  });

  it('answers 400 naming the regex when it does not compile or lacks a group', async () => {
    for (const regex of ['(?<host>', '(?<host>\\S*) (?<event>.*)']) {
      const res = await post(`?regex=${encodeURIComponent(regex)}`, LOG);
      expect(res.status, regex).toBe(400);
      expect(res.json.error.details[0].path, regex).toBe('regex');
    }
  });

  it('answers 400 naming a query parameter out of bounds or unknown', async () => {
    for (const [query, field] of [
      ['?name=a/b.log', 'name'],
      ['?form=yes', 'form'],
    ] as const) {
      const res = await post(query, LOG);
      expect(res.status, query).toBe(400);
      expect(res.json.error.details[0].path, query).toBe(field);
    }
    const unknown = await post('?colour=red', LOG);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details[0].keys).toEqual(['colour']);
  });
});
