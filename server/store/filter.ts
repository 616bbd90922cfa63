/**
 * EventFilter as an in-memory predicate, with the same meaning the SQL adapters give it: every field present
 * must match; `types` matches when any of its exact types or `*` patterns does; `from` inclusive, `to` exclusive.
 */
import { typeMatches, type StoredEvent } from '../../shared/event.js';
import { boundKey } from './time.js';
import { LIVE, type EventFilter } from './types.js';

export const namespaceOf = (options?: { namespace?: string }): string => options?.namespace ?? LIVE;

/** Exact types and `*` patterns apart; null when the filter lets every type through. */
export function splitTypes(types: string[] | undefined): { exact: string[]; patterns: string[] } | null {
  if (types === undefined || types.length === 0 || types.includes('*')) return null;
  return { exact: types.filter((t) => !t.includes('*')), patterns: types.filter((t) => t.includes('*')) };
}

/** A predicate over an event and its time key; the namespace is the caller's business. */
export function compileFilter(filter: EventFilter): (event: StoredEvent, timeKey: string) => boolean {
  const types = splitTypes(filter.types);
  const exact = new Set(types?.exact);
  const from = filter.from === undefined ? undefined : boundKey('from', filter.from);
  const to = filter.to === undefined ? undefined : boundKey('to', filter.to);
  return (e, key) =>
    (types === null || exact.has(e.type) || types.patterns.some((p) => typeMatches(p, e.type))) &&
    (filter.source === undefined || e.source === filter.source) &&
    (filter.process === undefined || e.process === filter.process) &&
    (filter.correlationId === undefined || e.correlationId === filter.correlationId) &&
    (filter.stream === undefined || e.stream === filter.stream) &&
    (filter.flowId === undefined || e.flowId === filter.flowId) &&
    (from === undefined || key >= from) &&
    (to === undefined || key < to);
}

/** A text that two filters share exactly when they select the same events (reads with it can be shared). */
export function filterKeyOf(filter: EventFilter): string {
  const { types, source, process, correlationId, stream, flowId, from, to } = filter;
  return JSON.stringify([namespaceOf(filter), types ?? null, source ?? null, process ?? null, correlationId ?? null, stream ?? null, flowId ?? null, from ?? null, to ?? null]);
}
