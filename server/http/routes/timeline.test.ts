/**
 * `GET /api/timeline/events` in-process on the memory store: compact pages of live events, oldest first or newest
 * first, followed by `next`; filters and the payload search; what it refuses answers 400 naming the parameter.
 * `GET /api/timeline/density`: the live events counted per process and slice of time.
  });
});

 * first, followed by `next`; filters and the payload search; what it refuses answers 400 naming the parameter; a
 * large page, written as text while it is read and sent in parts, is the JSON of the page encodeTimelinePage makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { decodeTimelinePage, encodeTimelinePage } from '../../../shared/timeline-page.js';
import { inProcessApp } from '../testing/in-process.js';
import { MAX_SEARCH_TEXT } from '../../../shared/api/timeline.js';

const server = inProcessApp();
afterAll(() => server.close());

const readings = [
  { id: 'a', process: 'fridge-1', data: { note: 'Door OPEN' } },
  { id: 'b', process: 'fridge-2', data: { note: 'closed' } },
  { id: 'c', process: 'fridge-1', data: { note: 'door open again' } },
  { id: 'd', process: 'fridge-2', data: { note: 'quiet' } },
  { id: 'e', process: 'fridge-1', data: { note: 'a.*b' } },
];

beforeAll(async () => {
  const events = readings.map((r) => ({ specversion: '1.0', source: 'test://timeline', type: 'reading.recorded', ...r }));
  const res = await server.request('POST', '/api/events', events, { 'content-type': 'application/cloudevents-batch+json' });
  expect(res.status).toBe(202);
  // An event of a replay's namespace, after the live ones: the timeline shows live events only.
  const replayed: EventDraft = {
    id: 'replayed', type: 'reading.recorded', source: 'test://timeline', time: new Date().toISOString(), subject: null,
    datacontenttype: 'application/json', data: { note: 'door open' }, stream: 'replayed', process: 'fridge-1',
    vectorClock: { 'fridge-1': 9 }, correlationId: 'replayed', causationId: null, flowId: null, nodeId: null, revision: null, metadata: {},
  };
  await server.store.append([replayed], { namespace: 'replay:r-1' });
});

const page = async (query: string) => {
  const res = await server.request('GET', `/api/timeline/events${query}`);
  expect(res.status, query).toBe(200);
  return { ids: decodeTimelinePage(res.json).map((e) => e.id), next: res.json.next as number | null, raw: res.json };
};

describe('GET /api/timeline/events', () => {
  it('answers every live event oldest first in one compact page without payloads, next null at the end', async () => {
    const { ids, next, raw } = await page('');
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(next).toBeNull();
    expect(raw.strings).toEqual(expect.arrayContaining(['reading.recorded', 'test://timeline', 'fridge-1', 'fridge-2']));
    expect(JSON.stringify(raw)).not.toContain('Door OPEN');
  });

  it('pages forwards with after=<next>', async () => {
    const first = await page('?limit=2');
    expect(first.ids).toEqual(['a', 'b']);
    expect(first.next).not.toBeNull();
    const second = await page(`?limit=2&after=${first.next}`);
    expect(second.ids).toEqual(['c', 'd']);
    const third = await page(`?limit=2&after=${second.next}`);
    expect(third).toMatchObject({ ids: ['e'], next: null });
  });

  it('pages backwards with order=newest and before=<next>, each page in position order and newer than the next', async () => {
    // A page covers a window of `limit` positions, so one holding other namespaces' events has fewer: follow `next`.
    const pages: string[][] = [];
    let next: number | null = null;
    do {
      const read = await page(`?order=newest&limit=2${next === null ? '' : `&before=${next}`}`);
      expect(read.ids.length).toBeLessThanOrEqual(2);
      pages.push(read.ids);
      next = read.next;
    } while (next !== null && pages.length < 10);
    expect(next).toBeNull();
    expect(pages[0]).toEqual(['e']);
    expect(pages.reverse().flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps to the filters, and searches payloads case-insensitively with every character literal', async () => {
    expect((await page('?process=fridge-2')).ids).toEqual(['b', 'd']);
    expect((await page('?text=door%20open')).ids).toEqual(['a', 'c']);
    expect((await page(`?text=${encodeURIComponent('a.*b')}`)).ids).toEqual(['e']);
  });

  it('answers 400 naming the parameter: a direction mixed up, a search too long, a page too large, an unknown one', async () => {
    for (const [query, field] of [
      ['?order=newest&after=1', 'after'],
      ['?before=3', 'before'],
      ['?order=sideways', 'order'],
      [`?text=${'x'.repeat(MAX_SEARCH_TEXT + 1)}`, 'text'],
      ['?limit=50001', 'limit'],
      ['?colour=red', ''],
    ] as const) {
      const res = await server.request('GET', `/api/timeline/events${query}`);
      expect(res.status, query).toBe(400);
      if (field) expect(res.json.error.details[0].path, query).toBe(field);
      else expect(res.json.error.details[0].keys, query).toEqual(['colour']);
    }
  });
});

describe('GET /api/timeline/density', () => {
  it('counts the live events of each process per slice over the whole store, the replay’s left out, and within a range', async () => {
    const whole = await server.request('GET', '/api/timeline/density?buckets=4');
    expect(whole.status).toBe(200);
    const sums = (lanes: { process: string; counts: number[] }[]) => lanes.map((l) => [l.process, l.counts.reduce((a, b) => a + b, 0), l.counts.length]);
    expect(whole.json.total).toBe(5);
    expect(sums(whole.json.lanes)).toEqual([['fridge-1', 3, 4], ['fridge-2', 2, 4]]);

    const from = new Date(whole.json.from as number).toISOString();
    const res = await server.request('GET', `/api/timeline/density?buckets=2&from=${from}&to=${from}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ from: whole.json.from, to: whole.json.from, bucketMs: 1 });
    expect(res.json.total).toBe(sums(res.json.lanes).reduce((n: number, [, count]) => n + (count as number), 0));
    expect(res.json.total).toBeGreaterThan(0);
  });
});

describe('GET /api/timeline/events, a large page', () => {
  const large = inProcessApp();
  afterAll(() => large.close());

  it('answers, as application/json in several parts, exactly the JSON encodeTimelinePage makes of its events', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => ({
      specversion: '1.0', id: `r-${i}`, source: `test://large/${i % 7}`, type: i % 3 === 0 ? 'alert' : 'reading.recorded', data: { i },
    }));
    for (let i = 0; i < events.length; i += 1000) {
      const res = await large.request('POST', '/api/events', events.slice(i, i + 1000), { 'content-type': 'application/cloudevents-batch+json' });
      expect(res.status).toBe(202);
    }
    const stored = await large.store.read({ limit: 5000 });
    const res = await large.app.request('/api/timeline/events?limit=5000');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    let parts = 0;
    let text = '';
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      parts++;
      text += decoder.decode(part.value, { stream: true });
    }
    expect(parts).toBeGreaterThan(1);
    expect(text).toBe(JSON.stringify(encodeTimelinePage(stored, null)));
  });
});
