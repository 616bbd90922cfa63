import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundKey, timeKey } from './time.js';
import { isStoreError } from './types.js';

/** `date` written with the given offset (minutes east of UTC) and `digits` fraction digits. */
function withOffset(date: Date, offsetMinutes: number, digits: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString();
  const fraction = digits === 0 ? '' : `.${local.slice(20, 23).padEnd(digits, '0')}`;
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const offset = offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)}${fraction}${offset}`;
}

describe('time keys', () => {
  it('writes an instant as UTC with nine fraction digits, whatever the offset', () => {
    expect(timeKey('2026-01-01T10:00:00.5Z')).toBe('2026-01-01T10:00:00.500000000Z');
    expect(timeKey('2026-01-01T12:30:00+02:30')).toBe('2026-01-01T10:00:00.000000000Z');
  });

  it('refuses text that is not an RFC 3339 time, every time it is asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(timeKey('2026-02-30T00:00:00Z')).toBeNull();
      expect(timeKey('yesterday')).toBeNull();
    }
  });

  it('refuses a filter bound that is not an RFC 3339 time with a StoreError invalid_filter naming the bound', () => {
    expect(boundKey('from', '2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000000000Z');
    const refused = (() => {
      try {
        return boundKey('to', 'yesterday');
      } catch (error) {
        return error;
      }
    })();
    expect(isStoreError(refused, 'invalid_filter')).toBe(true);
    expect(refused).toMatchObject({ message: 'to must be an RFC 3339 time, got "yesterday"', details: { field: 'to' } });
  });

  it('checks the calendar of times written as toISOString writes them', () => {
    expect(timeKey('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000000000Z');
    expect(timeKey('2026-02-29T00:00:00.000Z')).toBeNull();
    expect(timeKey('2100-02-29T00:00:00.000Z')).toBeNull();
    expect(timeKey('2000-02-29T00:00:00.000Z')).not.toBeNull();
    expect(timeKey('2026-04-31T00:00:00.000Z')).toBeNull();
    expect(timeKey('2026-13-01T00:00:00.000Z')).toBeNull();
    expect(timeKey('2026-01-01T24:00:00.000Z')).toBeNull();
  });

  it('reads text shaped as toISOString writes it the same as any RFC 3339 text, whatever its characters', () => {
    const instant = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    const edit = fc.record({ at: fc.integer({ min: 0, max: 22 }), char: fc.constantFrom(...'0123456789-:T.Z t/') });
    fc.assert(
      fc.property(instant, fc.array(edit, { maxLength: 3 }), (date, edits) => {
        const chars = [...date.toISOString()];
        for (const { at, char } of edits) chars[at] = char;
        const text = chars.join('');
        // The same text with "+00:00" for "Z" is too long for the fast path: the general reading decides it.
        expect(timeKey(text)).toBe(timeKey(`${text.slice(0, 23)}+00:00`));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives every instant the key of its ISO text, across the calendar', () => {
    const instant = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, (date) => {
        const iso = date.toISOString();
        expect(timeKey(iso)).toBe(`${iso.slice(0, 23)}000000Z`);
        // The same instant written with an offset names the same key.
        expect(timeKey(iso.replace('Z', '+00:00'))).toBe(timeKey(iso));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders keys as the instants they name, for any offsets, and answers the same when asked again', () => {
    const instant = fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9998-12-30T00:00:00Z'), noInvalidDate: true });
    const offset = fc.integer({ min: -12 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(instant, offset, instant, offset, fc.integer({ min: 3, max: 9 }), (a, oa, b, ob, digits) => {
        const ka = timeKey(withOffset(a, oa, digits));
        const kb = timeKey(withOffset(b, ob, digits));
        expect(ka).not.toBeNull();
        const order = (ka as string) < (kb as string) ? -1 : (ka as string) > (kb as string) ? 1 : 0;
        expect(order).toBe(Math.sign(a.getTime() - b.getTime()));
        expect(timeKey(withOffset(a, oa, digits))).toBe(ka);
      }),
      { numRuns: 1000 },
    );
  });
});
