import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeKey } from './time.js';

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
