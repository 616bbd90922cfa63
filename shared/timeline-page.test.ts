import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './event.js';
import { decodeTimelinePage, encodeTimelinePage, toTimelineRecord } from './timeline-page.js';

const stored = (id: string, over: Partial<StoredEvent> = {}): StoredEvent => ({
  id,
  type: 'reading.recorded',
  source: 'mqtt://plant/sensor-1',
  time: '2026-01-01T00:00:00.250Z',
  subject: null,
  datacontenttype: 'application/json',
  data: { t: 1 },
  stream: 's',
  version: 1,
  position: 1,
  process: 'sensor-1',
  vectorClock: { 'sensor-1': 1 },
  correlationId: id,
  causationId: null,
  flowId: null,
  nodeId: null,
  revision: null,
  metadata: {},
  ...over,
});

describe('the compact timeline page', () => {
  const events = [
    stored('a'),
    stored('b', { position: 2, process: 'main', type: 'alert', vectorClock: { 'sensor-1': 1, main: 1 }, correlationId: 'a', causationId: 'a', flowId: 'f1', nodeId: 'n2' }),
    stored('c', { position: 5, time: '2026-01-01T00:00:01Z' }),
  ];

  it('decodes to the records of the events it encoded, in order', () => {
    expect(decodeTimelinePage(encodeTimelinePage(events, 5))).toEqual(events.map(toTimelineRecord));
  });

  it('sends repeated strings once, a root chain as null and no payloads', () => {
    const page = encodeTimelinePage(events, null);
    expect(page.strings.filter((s) => s === 'reading.recorded')).toHaveLength(1);
    expect(page.type).toEqual([page.strings.indexOf('reading.recorded'), page.strings.indexOf('alert'), page.strings.indexOf('reading.recorded')]);
    expect(page.correlationId).toEqual([null, 'a', null]);
    expect(page.flowId).toEqual([-1, page.strings.indexOf('f1'), -1]);
    expect(JSON.stringify(page)).not.toContain('"t":1');
    expect(page.next).toBeNull();
  });

  it('turns times into epoch milliseconds', () => {
    expect(encodeTimelinePage(events, null).time).toEqual([Date.parse('2026-01-01T00:00:00.250Z'), Date.parse('2026-01-01T00:00:00.250Z'), Date.parse('2026-01-01T00:00:01Z')]);
  });
});
