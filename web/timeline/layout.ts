/**
 * The space-time diagram's layout, computed once per set of events and kept in typed arrays so 100,000 events
 * pan and zoom without allocating: one lane per process, a position along the axis per event (by time, or by
 * causal order), the happened-before edges that cross lanes, and the order to find the visible window fast.
 *
 * Causal order places each event one step after the latest of its causes: the event before it on its own
 * lane, and every event whose clock entry it merged (a receipt). Edges are causation links (`causationId`)
 * and those clock receipts, between events on different lanes. A process missing from a clock counts as 0.
 *
 * Pure: no DOM, no I/O.
 */
import { compare, type Order, type VectorClock } from '../../shared/clock.js';

export interface TimelineEvent {
  id: string;
  type: string;
  process: string;
  /** Milliseconds since the epoch. */
  time: number;
  vectorClock: VectorClock;
  causationId: string | null;
}

export type Axis = 'time' | 'causal';

export interface LaneSettings {
  /** Processes in the order the user arranged; processes not listed follow in order of first appearance. */
  order?: readonly string[];
  hidden?: ReadonlySet<string>;
  /** The epoch ms that x = 0 stands for on the time axis; default the earliest event's time. A fixed origin keeps
   * x of the events already shown when older ones join. */
  origin?: number;
}

export interface TimelineLayout {
  axis: Axis;
  /** Visible lanes, top to bottom. */
  lanes: string[];
  /** Lane of each event (index into `lanes`), or -1 when its lane is hidden. */
  lane: Int32Array;
  /** Position along the axis: ms since `origin` (time), or the causal step (causal). */
  x: Float64Array;
  /** The epoch ms that x = 0 stands for on the time axis (0 on the causal axis). */
  origin: number;
  /** Indices of the shown events sorted by x (ties by index). */
  order: Int32Array;
  /** x of `order[k]`, for binary search. */
  orderX: Float64Array;
  /** Happened-before edges between shown events on different lanes: from[i] → to[i], sorted by x of `to`. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** The largest x distance an edge spans (to bound window queries). */
  maxEdgeSpan: number;
  /** The smallest and largest x of the shown events (0, 0 when none). */
  extent: [number, number];
}

/** Lanes in the user's order, then the rest in order of first appearance; hidden ones left out. */
export function laneOrder(events: readonly Pick<TimelineEvent, 'process'>[], settings: LaneSettings = {}): string[] {
  const seen = new Set<string>();
  const appearing: string[] = [];
  for (const e of events) {
    if (!seen.has(e.process)) {
      seen.add(e.process);
      appearing.push(e.process);
    }
  }
  const hidden = settings.hidden ?? new Set<string>();
  const ordered = (settings.order ?? []).filter((p) => seen.has(p));
  const placed = new Set(ordered);
  return [...ordered, ...appearing.filter((p) => !placed.has(p))].filter((p) => !hidden.has(p));
}

const sumOf = (clock: VectorClock) => {
  let s = 0;
  for (const p in clock) s += clock[p] ?? 0;
  return s;
};

/**
 * For each event, the previous event on its own process (by its own counter, then input order), or -1; and
 * per process an index of own counter → first event with it, for finding the sender of a receipt. Events in
 * position order already have growing own counters, so a process is only sorted when its counters go back.
 */
function processChains(events: readonly TimelineEvent[]): { previous: Int32Array; byCounter: Map<string, Map<number, number>> } {
  const n = events.length;
  const previous = new Int32Array(n).fill(-1);
  const byCounter = new Map<string, Map<number, number>>();
  const lastOf = new Map<string, { index: number; counter: number; sorted: boolean; members: number[] }>();
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const counter = e.vectorClock[e.process] ?? 0;
    let counters = byCounter.get(e.process);
    if (!counters) byCounter.set(e.process, (counters = new Map()));
    if (!counters.has(counter)) counters.set(counter, i);
    const last = lastOf.get(e.process);
    if (!last) {
      lastOf.set(e.process, { index: i, counter, sorted: true, members: [i] });
      continue;
    }
    if (counter < last.counter) last.sorted = false;
    previous[i] = last.index;
    last.index = i;
    last.counter = counter;
    last.members.push(i);
  }
  for (const [process, chain] of lastOf) {
    if (chain.sorted) continue;
    const list = chain.members;
    list.sort((a, b) => (events[a]!.vectorClock[process] ?? 0) - (events[b]!.vectorClock[process] ?? 0) || a - b);
    previous[list[0]!] = -1;
    for (let k = 1; k < list.length; k++) previous[list[k]!] = list[k - 1]!;
  }
  return { previous, byCounter };
}

/**
 * Direct happened-before links of each event (before lane filtering): the events it received from by clock,
 * and its causation event, when they are among `events` and on another process.
 */
export function directCauses(events: readonly TimelineEvent[]): { from: number[]; to: number[]; previous: Int32Array } {
  const { previous, byCounter } = processChains(events);
  const indexById = new Map<string, number>();
  for (let i = 0; i < events.length; i++) indexById.set(events[i]!.id, i);
  const from: number[] = [];
  const to: number[] = [];
  const linked: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    linked.length = 0;
    const prev = previous[i]!;
    const before = prev >= 0 ? events[prev]!.vectorClock : undefined;
    const clock = e.vectorClock;
    for (const q in clock) {
      if (q === e.process) continue;
      const c = clock[q] ?? 0;
      if (c <= (before?.[q] ?? 0)) continue;
      const sender = byCounter.get(q)?.get(c);
      if (sender !== undefined && sender !== i && !linked.includes(sender)) linked.push(sender);
    }
    if (e.causationId !== null) {
      const cause = indexById.get(e.causationId);
      if (cause !== undefined && cause !== i && events[cause]!.process !== e.process && !linked.includes(cause)) linked.push(cause);
    }
    for (const s of linked) {
      from.push(s);
      to.push(i);
    }
  }
  return { from, to, previous };
}

/**
 * Causal steps: each event one after the latest of its predecessor on its process and its senders. Events are
 * visited in a linear extension of happened-before (clock sum, then input order).
 */
function causalSteps(events: readonly TimelineEvent[], previous: Int32Array, from: number[], to: number[]): Float64Array {
  const n = events.length;
  const incoming: number[][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < to.length; k++) incoming[to[k]!]!.push(from[k]!);
  const sums = events.map((e) => sumOf(e.vectorClock));
  const visit = Array.from({ length: n }, (_, i) => i).sort((a, b) => sums[a]! - sums[b]! || a - b);
  const step = new Float64Array(n);
  const done = new Uint8Array(n);
  for (const i of visit) {
    let s = 0;
    const p = previous[i]!;
    if (p >= 0 && done[p]) s = Math.max(s, step[p]! + 1);
    for (const c of incoming[i]!) if (done[c]) s = Math.max(s, step[c]! + 1);
    step[i] = s;
    done[i] = 1;
  }
  return step;
}

export function layoutTimeline(events: readonly TimelineEvent[], axis: Axis, settings: LaneSettings = {}): TimelineLayout {
  const lanes = laneOrder(events, settings);
  const laneOf = new Map(lanes.map((p, i) => [p, i]));
  const n = events.length;
  const lane = new Int32Array(n);
  for (let i = 0; i < n; i++) lane[i] = laneOf.get(events[i]!.process) ?? -1;

  const { from, to, previous } = directCauses(events);
  let origin = 0;
  let x: Float64Array;
  if (axis === 'time') {
    origin = settings.origin ?? (n > 0 ? Infinity : 0);
    if (settings.origin === undefined) for (const e of events) if (e.time < origin) origin = e.time;
    x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = events[i]!.time - origin;
  } else {
    x = causalSteps(events, previous, from, to);
  }

  const shown: number[] = [];
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (lane[i]! < 0) continue;
    if (shown.length > 0 && x[shown[shown.length - 1]!]! > x[i]!) sorted = false;
    shown.push(i);
  }
  if (!sorted) shown.sort((a, b) => x[a]! - x[b]! || a - b);
  const order = Int32Array.from(shown);
  const orderX = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) orderX[k] = x[order[k]!]!;

  const edges: number[] = [];
  let maxEdgeSpan = 0;
  for (let k = 0; k < from.length; k++) {
    const a = from[k]!;
    const b = to[k]!;
    if (lane[a]! < 0 || lane[b]! < 0 || lane[a] === lane[b]) continue;
    edges.push(k);
    maxEdgeSpan = Math.max(maxEdgeSpan, Math.abs(x[b]! - x[a]!));
  }
  edges.sort((p, q) => x[to[p]!]! - x[to[q]!]! || p - q);
  return {
    axis,
    lanes,
    lane,
    x,
    origin,
    order,
    orderX,
    edgeFrom: Int32Array.from(edges, (k) => from[k]!),
    edgeTo: Int32Array.from(edges, (k) => to[k]!),
    maxEdgeSpan,
    extent: shown.length > 0 ? [orderX[0]!, orderX[orderX.length - 1]!] : [0, 0],
  };
}

/** First index in a sorted array whose value is ≥ `value`. */
function lowerBound(sorted: Float64Array, value: number, get: (k: number) => number = (k) => sorted[k]!, length = sorted.length): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (get(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The slice of `order` whose events lie in [x0, x1]: `order[start..end)`. */
export function visibleEvents(layout: TimelineLayout, x0: number, x1: number): { start: number; end: number } {
  const start = lowerBound(layout.orderX, x0);
  let end = lowerBound(layout.orderX, x1);
  while (end < layout.orderX.length && layout.orderX[end]! <= x1) end++;
  return { start, end };
}

/** Indices (into edgeFrom/edgeTo) of the edges that cross [x0, x1]. */
export function visibleEdges(layout: TimelineLayout, x0: number, x1: number): number[] {
  const { edgeTo, edgeFrom, x } = layout;
  const targetX = (k: number) => x[edgeTo[k]!]!;
  const out: number[] = [];
  // An edge spans at most maxEdgeSpan: one ending outside [x0 - span, x1 + span] cannot cross the window.
  for (let k = lowerBound(layout.orderX, x0 - layout.maxEdgeSpan, targetX, edgeTo.length); k < edgeTo.length; k++) {
    const tx = targetX(k);
    if (tx > x1 + layout.maxEdgeSpan) break;
    const fx = x[edgeFrom[k]!]!;
    if (Math.min(fx, tx) <= x1 && Math.max(fx, tx) >= x0) out.push(k);
  }
  return out;
}

/** How each event stands to a selected one, by vector clock. */
export const CONE = { none: 0, selected: 1, past: 2, future: 3, concurrent: 4 } as const;

const coneOf: Record<Order, number> = { before: CONE.past, after: CONE.future, equal: CONE.selected, concurrent: CONE.concurrent };

/** The causal cone of event `selected`: its past and future by clock; everything else concurrent. */
export function causalCone(events: readonly TimelineEvent[], selected: number): Uint8Array {
  const marks = new Uint8Array(events.length);
  const target = events[selected];
  if (!target) return marks;
  for (let i = 0; i < events.length; i++) {
    marks[i] = i === selected ? CONE.selected : coneOf[compare(events[i]!.vectorClock, target.vectorClock)];
  }
  return marks;
}

export interface LaneBand {
  process: string;
  top: number;
  height: number;
  collapsed: boolean;
}

/** Vertical bands of the lanes: collapsed lanes are thin. */
export function laneBands(lanes: readonly string[], collapsed: ReadonlySet<string>, height: number, collapsedHeight: number): LaneBand[] {
  let top = 0;
  return lanes.map((process) => {
    const c = collapsed.has(process);
    const band = { process, top, height: c ? collapsedHeight : height, collapsed: c };
    top += band.height;
    return band;
  });
}

/** A lane moved from one place to another in the user's order. */
export function moveLane(order: readonly string[], process: string, to: number): string[] {
  const rest = order.filter((p) => p !== process);
  const at = Math.max(0, Math.min(to, rest.length));
  return [...rest.slice(0, at), process, ...rest.slice(at)];
}
