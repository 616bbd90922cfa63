import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloudEventBatchParser, CloudEventBatchSchema, CloudEventParser, CloudEventSchema, typeMatches } from './event.js';

describe('event type patterns', () => {
  it('matches exactly without a wildcard, anything with "*", and any run of characters where "*" stands', () => {
    expect(typeMatches('reading.recorded', 'reading.recorded')).toBe(true);
    expect(typeMatches('reading.recorded', 'reading.recordedx')).toBe(false);
    expect(typeMatches('*', '')).toBe(true);
    expect(typeMatches('reading.*', 'reading.recorded')).toBe(true);
    expect(typeMatches('reading.*', 'readingXrecorded')).toBe(false);
    expect(typeMatches('*.alert', 'fridge.door.alert')).toBe(true);
    expect(typeMatches('a*b*c', 'abc')).toBe(true);
    expect(typeMatches('a*b*c', 'acb')).toBe(false);
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(typeMatches('a+b.*', 'a+b.x')).toBe(true);
    expect(typeMatches('a+b.*', 'aab.x')).toBe(false);
    expect(typeMatches('(x)*', '(x)y')).toBe(true);
  });

  it('agrees with a split-and-search reference on random patterns, asked any number of times', () => {
    const reference = (pattern: string, type: string): boolean => {
      const parts = pattern.split('*');
      if (parts.length === 1) return pattern === type;
      const first = parts[0]!;
      const last = parts[parts.length - 1]!;
      if (!type.startsWith(first) || type.length < first.length + last.length || !type.endsWith(last)) return false;
      let at = first.length;
      const end = type.length - last.length;
      for (const middle of parts.slice(1, -1)) {
        const found = type.indexOf(middle, at);
        if (found < 0 || found + middle.length > end) return false;
        at = found + middle.length;
      }
      return true;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '+', '('), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'b', '.', '+', '('), maxLength: 10 }), (pattern, type) => {
        const expected = reference(pattern, type);
        expect(typeMatches(pattern, type)).toBe(expected);
        expect(typeMatches(pattern, type)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CloudEvent parsers', () => {
  /** Values each attribute may get: valid ones, near misses and anything at all. */
  const attributeValue = fc.oneof(
    fc.constantFrom('1.0', '0.3', '', 'x', 'reading.recorded', '2026-12-07T08:00:00Z', '2026-13-07', '{"a":1}', '{"a":-1}', '{', '42', 'aGk=', 'a'.repeat(300)),
    fc.constantFrom(0, 7, -1, 1.5, null, true, { t: 1 }, [1, 2]),
    fc.anything(),
  );
  const attributeName = fc.oneof(
    fc.constantFrom('specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'dataschema', 'data', 'data_base64'),
    fc.constantFrom('correlationid', 'causationid', 'process', 'vectorclock', 'stream', 'expectedversion'),
    fc.constantFrom('ext1', 'site', 'Bad', '__proto__', 'with-dash', 'constructor', 'toString'),
  );
  const valid = { specversion: '1.0', id: 'e1', source: 'test', type: 'reading.recorded' };
  /** An object whose own keys are these, in this order (`__proto__` too, as JSON.parse makes it). */
  const objectOf = (base: Record<string, unknown>, entries: [string, unknown][]) => {
    const object: Record<string, unknown> = {};
    for (const [key, value] of [...Object.entries(base), ...entries]) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    return object;
  };
  const input = fc.oneof(
    fc.tuple(fc.boolean(), fc.array(fc.tuple(attributeName, attributeValue), { maxLength: 8 })).map(([complete, entries]) => objectOf(complete ? valid : {}, entries)),
    fc.anything(),
  );
  const sameAnswer = (fast: ReturnType<typeof CloudEventParser.safeParse>, whole: ReturnType<typeof CloudEventSchema.safeParse>) => {
    expect(fast.success).toBe(whole.success);
    if (whole.success) {
      expect(fast.data).toStrictEqual(whole.data);
      expect(Object.keys(fast.data!)).toEqual(Object.keys(whole.data));
    } else {
      expect(fast.error!.issues).toStrictEqual(whole.error.issues);
    }
  };

  it('answer each event exactly as the whole schema does: the same data, key order and issues', () => {
    fc.assert(
      fc.property(input, (value) => sameAnswer(CloudEventParser.safeParse(value), CloudEventSchema.safeParse(value))),
      { numRuns: 3000 },
    );
  });

  it('answer each batch exactly as the whole batch schema does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(input, { maxLength: 5 }), fc.anything()), (value) => {
        const fast = CloudEventBatchParser.safeParse(value);
        const whole = CloudEventBatchSchema.safeParse(value);
        expect(fast.success).toBe(whole.success);
        if (whole.success) expect(fast.data).toStrictEqual(whole.data);
        else expect(fast.error!.issues).toStrictEqual(whole.error.issues);
      }),
      { numRuns: 1000 },
    );
  });

  it('accept an event with only some attributes and refuse the same attributes with a bad value', () => {
    const event = { ...valid, subject: 's', data: { t: 1 }, ext1: 'kept' };
    expect(CloudEventParser.safeParse(event)).toStrictEqual({ success: true, data: event });
    const bad = CloudEventParser.safeParse({ ...event, subject: 7 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path)).toEqual([['subject']]);
  });
});
