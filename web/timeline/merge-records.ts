/**
 * Adds events read apart from the timeline's pages (the neighbourhood of an event a link names, older than what
 * is loaded) to the loaded ones: position order kept, each position once. Pure.
 */
import type { TimelineRecord } from '../../shared/timeline-page.js';

/** `loaded` and `extra` (each in position order) as one list in position order; `loaded` itself when nothing is new. */
export function mergeRecords(loaded: readonly TimelineRecord[], extra: readonly TimelineRecord[]): TimelineRecord[] {
  const have = new Set(loaded.map((r) => r.position));
  const fresh = extra.filter((r) => !have.has(r.position) && (have.add(r.position), true));
  if (fresh.length === 0) return loaded as TimelineRecord[];
  fresh.sort((a, b) => a.position - b.position);
  const out: TimelineRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < loaded.length || j < fresh.length) {
    if (j >= fresh.length || (i < loaded.length && loaded[i]!.position < fresh[j]!.position)) out.push(loaded[i++]!);
    else out.push(fresh[j++]!);
  }
  return out;
}
