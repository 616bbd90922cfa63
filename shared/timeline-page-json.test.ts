import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from './event.js';
import { encodeTimelinePage } from './timeline-page.js';
import { TimelinePageJson } from './timeline-page-json.js';

/** Few distinct values, so strings repeat and correlations point at ids, with the characters JSON escapes. */
const name = fc.constantFrom('a', 'b', 'sensor-1', '1', '0', 'quote"d', 'back\\slash', 'tab\tnew\nline', 'é ünï', '\u2028');
const nullableName = fc.option(name, { nil: null });

const event: fc.Arbitrary<StoredEvent> = fc.record({
  id: name,
  type: name,
  source: name,
  time: fc.constantFrom('2026-01-01T00:00:00.250Z', '2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00.123456789Z', 'not a time'),
  subject: nullableName,
  datacontenttype: fc.constant('application/json'),
  data: fc.jsonValue(),
  stream: name,
  version: fc.nat(),
  position: fc.integer({ min: 1, max: 2 ** 40 }),
  process: name,
  vectorClock: fc.dictionary(name, fc.integer({ min: 1, max: 2 ** 40 })),
  correlationId: name,
  causationId: nullableName,
  flowId: nullableName,
  nodeId: nullableName,
  revision: fc.option(fc.nat(), { nil: null }),
  metadata: fc.constant({}),
});

function jsonOf(events: StoredEvent[], next: number | null): string {
  const page = new TimelinePageJson();
  for (const e of events) page.add(e);
  return page.chunks(next).join('');
}

describe('the timeline page as JSON text', () => {
  it('is the JSON of encodeTimelinePage, byte for byte, for any events and next', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.option(fc.nat(), { nil: null }), (events, next) => {
        expect(jsonOf(events, next)).toBe(JSON.stringify(encodeTimelinePage(events, next)));
      }),
      { numRuns: 300 },
    );
  });

  it('stays the same text across its pieces of a thousand events, and for an empty page', () => {
    const events = fc.sample(event, { numRuns: 3000, seed: 7 }).map((e, i) => ({ ...e, position: i + 1 }));
    for (const count of [0, 1023, 1024, 1025, 2048, 3000]) {
      expect(jsonOf(events.slice(0, count), count)).toBe(JSON.stringify(encodeTimelinePage(events.slice(0, count), count)));
    }
  });
});
