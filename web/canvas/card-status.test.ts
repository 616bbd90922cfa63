import { describe, expect, it } from 'vitest';
import { agoText, countText, rateText, statusLine } from './card-status.js';

const now = Date.parse('2026-05-01T10:00:00Z');
const counters = { in: 5, out: 5, errors: 0, queued: 0 };

describe('a card’s status line', () => {
  it('says the rate, when the node last moved and an actor’s live keys', () => {
    expect(statusLine({ ...counters, lastAt: '2026-05-01T09:59:57.500Z', keys: 12 }, 2.5, now)).toBe('2.5/s · 2 s ago · 12 keys');
    expect(statusLine({ ...counters, lastAt: '2026-05-01T09:59:59.500Z', keys: 1 }, 0, now)).toBe('0/s · just now · 1 key');
    expect(statusLine(counters, undefined, now)).toBe('0/s · idle');
  });

  it('keeps figures short enough for a card', () => {
    expect(rateText(0.04)).toBe('<0.1/s');
    expect(rateText(1234)).toBe('1234/s');
    expect(rateText(123_456)).toBe('123k/s');
    expect(countText(9_999)).toBe('9999');
    expect(countText(12_345)).toBe('12.3k');
    expect(countText(4_500_000)).toBe('4.5M');
    expect(agoText(125_000)).toBe('2 min ago');
    expect(agoText(3 * 3600_000)).toBe('3 h ago');
    expect(agoText(72 * 3600_000)).toBe('3 d ago');
  });
});
