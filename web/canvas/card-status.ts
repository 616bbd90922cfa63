/**
 * A node card's status line while its flow runs: its rate, how long ago it last took in or sent out an event, and an
 * actor's live keys — "2.5/s · 3 s ago · 12 keys". One string per card, computed where the card's data is made: a
 * line that reads the same keeps the card as it is. `now` is the one clock every card reads (the time of the last
 * status), so no card keeps a timer of its own.
 */
import type { NodeCounters } from '../../shared/api/flows.js';

export function statusLine(counters: NodeCounters, rate: number | undefined, now: number): string {
  const parts = [rateText(rate ?? 0)];
  const at = counters.lastAt === undefined ? NaN : Date.parse(counters.lastAt);
  parts.push(Number.isNaN(at) ? 'idle' : agoText(now - at));
  if (counters.keys !== undefined) parts.push(`${countText(counters.keys)} key${counters.keys === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function rateText(perSecond: number): string {
  if (perSecond <= 0) return '0/s';
  if (perSecond < 0.1) return '<0.1/s';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${countText(Math.round(perSecond))}/s`;
}

/** Coarse on purpose: a line that changes only when its figure does. */
export function agoText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} d ago`;
}

/** Counts as a card shows them: whole up to 9,999, then 12.3k, 4.5M, so three of them fit a card's width. */
export function countText(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 100_000_000 ? 1 : 0)}M`;
}
