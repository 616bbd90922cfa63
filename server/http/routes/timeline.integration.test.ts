/**
 * `GET /api/timeline/events` against a real server: compact pages forwards and backwards that together hold every
 * live event once (never a replay's), the filters and the payload search, 400s naming the field, and roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { decodeTimelinePage, type TimelinePage, type TimelineRecord } from '../../../shared/timeline-page.js';
import { parseTokens } from '../../config.js';
import type { Causeway } from '../../start.js';
import { startTestServer } from '../../testing/test-server.js';
import { CE_BATCH, cloudEvent } from '../testing/bodies.js';
import { client } from '../testing/client.js';

let server: Causeway;
let api: ReturnType<typeof client>;
const TOTAL = 25;

const draft = (i: number): EventDraft => ({
  id: `replayed-${i}`,
  type: 'reading.recorded',
  source: 'replay',
  time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
  subject: null,
  datacontenttype: 'application/json',
  data: { note: 'from a replay' },
  stream: 'r',
  process: 'replayer',
  vectorClock: { replayer: i + 1 },
  correlationId: `replayed-${i}`,
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
});

beforeAll(async () => {
  server = await startTestServer();
  api = client(server.url);
  const batch = Array.from({ length: TOTAL }, (_, i) =>
    cloudEvent({
      id: `e${i}`,
      type: i % 5 === 0 ? 'alert.raised' : 'reading.recorded',
      process: i % 2 ? 'sensor-1' : 'sensor-2',
      data: i === 7 ? { message: 'Door OPEN too long' } : { t: i },
      ...(i > 0 ? { causationid: `e${i - 1}`, correlationid: 'e0' } : {}),
    }),
  );
  expect((await api.post('/api/events', batch.slice(0, 10), CE_BATCH)).status).toBe(202);
  await server.store.append([draft(0), draft(1), draft(2)], { namespace: 'replay:rp-1' });
  expect((await api.post('/api/events', batch.slice(10), CE_BATCH)).status).toBe(202);
});
afterAll(async () => server?.close());

async function page(query: string): Promise<{ records: TimelineRecord[]; next: number | null }> {
  const res = await api.get(`/api/timeline/events?${query}`);
  expect(res.status).toBe(200);
  const body = res.json as TimelinePage;
  return { records: decodeTimelinePage(body), next: body.next };
}

async function all(order: 'oldest' | 'newest', limit: number, extra = ''): Promise<{ pages: TimelineRecord[][] }> {
  const pages: TimelineRecord[][] = [];
  let cursor: number | null | undefined;
  do {
    const at = cursor === undefined ? '' : order === 'oldest' ? `&after=${cursor}` : `&before=${cursor}`;
    const p = await page(`order=${order}&limit=${limit}${at}${extra}`);
    pages.push(p.records);
    cursor = p.next;
  } while (cursor !== null && pages.length < 100);
  return { pages };
}

describe('the timeline read route', () => {
  it('pages forwards through every live event once, in position order, without payloads or replay events', async () => {
    const { pages } = await all('oldest', 4);
    const records = pages.flat();
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: TOTAL }, (_, i) => `e${i}`));
    const positions = records.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const stored = await server.store.get('e3');
    expect(records[3]).toEqual({
      id: 'e3',
      position: stored!.position,
      type: 'reading.recorded',
      source: stored!.source,
      process: 'sensor-1',
      time: Date.parse(stored!.time),
      vectorClock: stored!.vectorClock,
      correlationId: 'e0',
      causationId: 'e2',
      flowId: null,
      nodeId: null,
    });
    expect(records[0]!.correlationId).toBe('e0');
    const raw = await api.get('/api/timeline/events?limit=3');
    expect(raw.text).not.toContain('"data"');
  });

  it('pages backwards from the newest, each page in position order, and together holds every live event once', async () => {
    const first = await page('order=newest&limit=5');
    expect(first.records.map((r) => r.id)).toEqual(['e20', 'e21', 'e22', 'e23', 'e24']);
    const { pages } = await all('newest', 5);
    const ids = pages.reverse().flat().map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: TOTAL }, (_, i) => `e${i}`));
  });

  it('filters by type and process and searches payload text without regard to case', async () => {
    const alerts = await page('type=alert.*&limit=100');
    expect(alerts.records.map((r) => r.id)).toEqual(['e0', 'e5', 'e10', 'e15', 'e20']);
    const odd = await page('process=sensor-1&limit=100');
    expect(odd.records.every((r) => r.process === 'sensor-1')).toBe(true);
    expect(odd.records).toHaveLength(12);
    const found = await all('oldest', 10, '&text=door%20open');
    expect(found.pages.flat().map((r) => r.id)).toEqual(['e7']);
    const fromReplay = await page('text=from%20a%20replay&limit=100');
    expect(fromReplay.records).toEqual([]);
  });

  it('refuses a bad query with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'limit'],
      ['limit=50001', 'limit'],
      ['order=sideways', 'order'],
      ['before=3', 'before'],
      ['order=newest&after=3', 'after'],
      ['text=', 'text'],
      [`text=${'x'.repeat(257)}`, 'text'],
      ['after=-1', 'after'],
      ['colour=red', ''],
    ];
    for (const [query, field] of cases) {
      const res = await api.get(`/api/timeline/events?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error.message, query).toContain(field === '' ? 'colour' : `${field}:`);
    }
  });
});

describe('the timeline read route with tokens', () => {
  let guarded: Causeway;
  beforeAll(async () => {
    guarded = await startTestServer({ tokens: parseTokens('vera:viewer:viewer-secret-1') });
  });
  afterAll(async () => guarded?.close());

  it('lets a viewer read and refuses a caller without a token', async () => {
    const viewer = client(guarded.url, { authorization: 'Bearer viewer-secret-1' });
    expect((await viewer.get('/api/timeline/events')).status).toBe(200);
    expect((await client(guarded.url).get('/api/timeline/events')).status).toBe(401);
  });
});
