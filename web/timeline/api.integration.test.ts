/** The timeline's reads against a real server (the page's relative URLs resolved against it). */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { client } from '../../server/http/testing/client.js';
import { startTestServer, type Causeway } from '../../server/testing/test-server.js';
import { loadFullEvents } from './api.js';

let server: Causeway;
beforeAll(async () => {
  server = await startTestServer();
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => realFetch(url.startsWith('/') ? server.url + url : url, init));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

describe('reading the full events of a selection', () => {
  it('reads a selection of 150,000 positions (more than a call can take as arguments)', async () => {
    const api = client(server.url);
    const batch = Array.from({ length: 3 }, (_, i) => ({ specversion: '1.0', id: `big-${i}`, source: 'test', type: 'reading', data: { i } }));
    const published = await api.post('/api/events', JSON.stringify(batch), { 'content-type': 'application/cloudevents-batch+json' });
    expect(published.status).toBe(202);
    const stored = (published.json.events as { position: number }[]).map((e) => e.position);
    const positions = [...stored, ...Array.from({ length: 150_000 }, (_, i) => stored[2]! + 1 + i)];
    const events = await loadFullEvents(positions);
    expect(events.map((e) => e.id)).toEqual(['big-0', 'big-1', 'big-2']);
  });
});
