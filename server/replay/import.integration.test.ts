import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../http/testing/client.js';
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway } from '../start.js';

const DATA = '/work/shared/data/shiviz/';
const TEXT = { 'content-type': 'text/plain' };

let app: Causeway;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  app = await startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'sqlite::memory:' } },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
  });
  api = client(app.url);
});

afterAll(async () => {
  await app?.close();
});

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('importing ShiViz logs over HTTP', () => {
  it('imports chord.log with the default regex: hosts become processes, clocks vector clocks', async () => {
    const r = await api.post(`/api/imports/shiviz?${q({ name: 'chord.log' })}`, readFileSync(DATA + 'chord.log', 'utf8'), TEXT);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ imported: 1235, source: 'shiviz://chord.log' });
    expect(r.json.processes).toHaveLength(8);
    const events = await api.get(`/api/events?${q({ source: 'shiviz://chord.log', process: 'kv-node-70', limit: '10' })}`);
    expect(events.json.events[0]).toMatchObject({ process: 'kv-node-70', type: 'shiviz.event' });
    expect(events.json.events[0].vectorClock['kv-node-70']).toBe(1);
  });

  it('stores a re-imported log as an execution of its own, beside the first', async () => {
    const body = 'a {"a":1}\nhello\nb {"a":1,"b":1}\nworld\n';
    const first = (await api.post(`/api/imports/shiviz?name=twice.log`, body, TEXT)).json;
    const second = (await api.post(`/api/imports/shiviz?name=twice.log`, body, TEXT)).json;
    expect([first.imported, second.imported]).toEqual([2, 2]);
    expect(second.import.executions[0].id).not.toBe(first.import.executions[0].id);
  });

  it('imports the upload form of multiple-comparison.log: regex, delimiter, then the log', async () => {
    const form = `(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})\n^=== (?<trace>.*) ===$\n${readFileSync(DATA + 'multiple-comparison.log', 'utf8')}`;
    const r = await api.post(`/api/imports/shiviz?${q({ name: 'multiple-comparison.log', form: 'true' })}`, form, TEXT);
    expect(r.status).toBe(201);
    expect(r.json.imported).toBe(40);
    expect(r.json.executions).toHaveLength(5);
    expect(r.json.processes).toContain('Base execution/mountainView');
  });

  it('imports reliable-broadcast.log with a custom regex given as a query parameter', async () => {
    const regex = '\\[(?<priority>\\w+)\\] \\[(?<date>[^\\]]+)\\] \\[[^\\]]+\\] \\[akka://Broadcast/user/(?<host>\\w+)\\] (?<clock>{.*?}) (?<event>.*)';
    const r = await api.post(`/api/imports/shiviz?${q({ name: 'reliable-broadcast.log', regex })}`, readFileSync(DATA + 'reliable-broadcast.log', 'utf8'), TEXT);
    expect(r.status).toBe(201);
    expect(r.json.processes.sort()).toEqual(['node0', 'node1', 'node2', 'node3']);
  });

  it('answers the causal past of an imported receipt from its clocks', async () => {
    await api.post(`/api/imports/shiviz?name=cone.log`, 'ca {"ca":1}\nsend\ncb {"cb":1}\nlocal\ncb {"ca":1,"cb":2}\nreceive\n', TEXT);
    const receipt = (await api.get(`/api/events?${q({ source: 'shiviz://cone.log', process: 'cb' })}`)).json.events.find((e: { data: { text: string } }) => e.data.text === 'receive');
    const cone = await api.get(`/api/events/${encodeURIComponent(receipt.id)}/causality`);
    expect(cone.status).toBe(200);
    expect(cone.json.past.map((e: { data: { text: string } }) => e.data.text).sort()).toEqual(['local', 'send']);
  });

  it('refuses a log whose clock goes backwards with a 400 naming the line', async () => {
    const r = await api.post('/api/imports/shiviz', 'a {"a":2}\nx\na {"a":1, "b":3}\ny\na {"a":3}\nz\n', TEXT);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('clock_went_backwards');
    expect(r.json.error.details[0]).toMatchObject({ path: 'body', line: 3 });
    expect(r.json.error.message).toContain('line 3');
  });

  it('refuses a malformed clock with a 400 naming the line', async () => {
    const r = await api.post('/api/imports/shiviz', 'a {"a":1}\nx\nb {b:1}\ny\n', TEXT);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'clock_not_json', details: [{ path: 'body', line: 3 }] });
  });

  it('refuses a bad regex and unknown parameters, naming them', async () => {
    const bad = await api.post(`/api/imports/shiviz?${q({ regex: '(?<host>\\S*' })}`, 'a {"a":1}\nx\n', TEXT);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe('regex');
    const unknown = await api.post('/api/imports/shiviz?format=x', 'a {"a":1}\nx\n', TEXT);
    expect(unknown.status).toBe(400);
    expect((await api.post('/api/imports/shiviz?name=a/b', 'a {"a":1}\nx\n', TEXT)).json.error.details[0].path).toBe('name');
  });
});
