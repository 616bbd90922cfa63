import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { eventsOf, parseShiViz } from '../../shared/shiviz.js';
import { correlationTree } from './events.js';
import { asJson, asShiViz } from './export.js';

let position = 0;
const stored = (id: string, over: Partial<StoredEvent> = {}): StoredEvent => ({
  id,
  type: 'reading.recorded',
  source: 'test',
  time: '2026-01-01T00:00:00.000Z',
  subject: null,
  datacontenttype: 'application/json',
  data: { t: 1 },
  stream: 's',
  version: 1,
  position: ++position,
  process: 'p',
  vectorClock: { p: position },
  correlationId: 'root',
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
  ...over,
});

describe('the correlation chain', () => {
  it('builds the tree of a chain from its root by causation', () => {
    const events = [stored('root'), stored('a', { causationId: 'root' }), stored('b', { causationId: 'a' }), stored('c', { causationId: 'root' }), stored('x', { correlationId: 'other' })];
    const [root] = correlationTree(events, 'root');
    expect(root?.event.id).toBe('root');
    expect(root?.children.map((c) => c.event.id)).toEqual(['a', 'c']);
    expect(root?.children[0]?.children.map((c) => c.event.id)).toEqual(['b']);
  });
});

describe('exporting events', () => {
  const events = [stored('1', { process: 'dev', vectorClock: { dev: 1 } }), stored('2', { process: 'main', vectorClock: { dev: 1, main: 1 }, type: 'alert', data: { text: 'hot' } })];

  it('writes JSON that holds every event', () => {
    expect(JSON.parse(asJson(events)).events).toEqual(events);
  });

  it('writes a ShiViz log that the parser reads back to the same processes and clocks', () => {
    const parsed = parseShiViz(asShiViz(events));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(eventsOf(parsed.log).map((e) => [e.host, e.clock, e.text])).toEqual([
      ['dev', { dev: 1 }, 'reading.recorded {"t":1}'],
      ['main', { dev: 1, main: 1 }, 'alert hot'],
    ]);
  });
});
