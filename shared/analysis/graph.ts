/**
 * The events an analysis works on, and their happened-before graph as direct links: each event's neighbours on its
 * own process (by its own counter) and its messages — the events it received from and the events that received from
 * it. A receipt is read from the clock: an entry of another process that grew since the event before it on its own
 * process names that process's event with that counter; of those candidates only the latest are senders (an entry
 * learned through another sender is knowledge passed on, not a message). A `causationId` on another process is a
 * message too. A process missing from a clock counts as 0. The structured search, the motifs and the comparison of
 * executions all walk this one graph.
 *
 * Pure: no I/O.
 */
import { compare, counterOf, type VectorClock } from '../clock.js';

/** An event as the analyses see it: the timeline's fields, and its payload when it was read. */
export interface AnalysisEvent {
  id: string;
  type: string;
  source: string;
  process: string;
  vectorClock: VectorClock;
  causationId: string | null;
  /** The payload; undefined when not read (a payload test then never matches). */
  data?: unknown;
}

export interface HappenedGraph {
  /** The event before / after each event on its own process, or -1. */
  previous: Int32Array;
  next: Int32Array;
  /** For each event, the events on other processes it received from (direct senders). */
  senders: number[][];
  /** For each event, the events on other processes that received from it. */
  receivers: number[][];
}

export function happenedGraph(events: readonly AnalysisEvent[]): HappenedGraph {
  const n = events.length;
  const previous = new Int32Array(n).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const senders: number[][] = Array.from({ length: n }, () => []);
  const receivers: number[][] = Array.from({ length: n }, () => []);
  const byProcess = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const p = events[i]!.process;
    const list = byProcess.get(p);
    if (list) list.push(i);
    else byProcess.set(p, [i]);
  }
  const byCounter = new Map<string, Map<number, number>>();
  for (const [process, list] of byProcess) {
    list.sort((a, b) => counterOf(events[a]!.vectorClock, process) - counterOf(events[b]!.vectorClock, process) || a - b);
    const counters = new Map<number, number>();
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const c = counterOf(events[i]!.vectorClock, process);
      if (!counters.has(c)) counters.set(c, i);
      if (k > 0) {
        previous[i] = list[k - 1]!;
        next[list[k - 1]!] = i;
      }
    }
    byCounter.set(process, counters);
  }
  const indexById = new Map<string, number>();
  for (let i = 0; i < n; i++) indexById.set(events[i]!.id, i);

  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const prev = previous[i]!;
    const before = prev >= 0 ? events[prev]!.vectorClock : undefined;
    candidates.length = 0;
    for (const q in e.vectorClock) {
      if (q === e.process) continue;
      const c = counterOf(e.vectorClock, q);
      if (c <= (before ? counterOf(before, q) : 0)) continue;
      const s = byCounter.get(q)?.get(c);
      if (s !== undefined && s !== i) candidates.push(s);
    }
    // Only the latest candidates: one another candidate happened after was passed on through it.
    for (const s of candidates) {
      const passedOn = candidates.some((t) => t !== s && compare(events[s]!.vectorClock, events[t]!.vectorClock) === 'before');
      if (!passedOn) link(s, i);
    }
    if (e.causationId !== null) {
      const cause = indexById.get(e.causationId);
      if (cause !== undefined && cause !== i && events[cause]!.process !== e.process) link(cause, i);
    }
  }
  return { previous, next, senders, receivers };

  function link(from: number, to: number) {
    if (senders[to]!.includes(from)) return;
    senders[to]!.push(from);
    receivers[from]!.push(to);
  }
}
