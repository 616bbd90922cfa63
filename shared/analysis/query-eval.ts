/**
 * Answers a structured-search query (query-syntax.ts) over a set of events: each match is a list of event indices —
 * one event for a single test, one per test for a chain `a -> b -> c` (each happened before the next: by vector
 * clock, or along at most N direct links for `-> within N`), the events of a motif. Matches come in the order of
 * their first event, then the next.
 *
 * Bounded whatever the query and the events: at most `maxMatches` matches, about `maxWork` steps (an event tested,
 * a pair compared, a link walked) and, when given, a deadline; past any the answer is what was found, marked
 * `truncated` with the bound it met. A chain of
 * unbounded arrows over n events is otherwise n^k pairs; `* -> *` over 50,000 events stops at the bound, not later.
 *
 * Pure: no I/O.
 */
import { compare } from '../clock.js';
import { happenedGraph, type AnalysisEvent, type HappenedGraph } from './graph.js';
import { exprMatches } from './matching.js';
import { findMotif } from './motifs.js';
import type { Query } from './query-syntax.js';

export interface EvalLimits {
  maxMatches: number;
  maxWork: number;
  /** Stop once `now()` passes this (checked every few thousand steps); absent: no time limit. */
  deadline?: { now: () => number; at: number };
}

export const DEFAULT_EVAL_LIMITS: EvalLimits = { maxMatches: 1000, maxWork: 5_000_000 };

export interface QueryAnswer {
  matches: number[][];
  /** Why the answer stops short: too many matches, or too much work; null when it is whole. */
  truncated: 'matches' | 'work' | 'time' | null;
}

class Stop {
  constructor(readonly reason: 'matches' | 'work' | 'time') {}
}

/** Steps between looks at the clock. */
const CLOCK_EVERY = 4096;

export function evaluateQuery(query: Query, events: readonly AnalysisEvent[], limits: EvalLimits = DEFAULT_EVAL_LIMITS, graph?: HappenedGraph): QueryAnswer {
  const needsGraph = query.kind === 'motif' || query.hops.some((h) => h !== null);
  const g = needsGraph ? (graph ?? happenedGraph(events)) : null;
  if (query.kind === 'motif') {
    const all = findMotif(events, g!, query.motif, query.param);
    return all.length > limits.maxMatches ? { matches: all.slice(0, limits.maxMatches), truncated: 'matches' } : { matches: all, truncated: null };
  }

  const matches: number[][] = [];
  let work = 0;
  let lookAt = CLOCK_EVERY;
  const spend = (n = 1) => {
    work += n;
    if (work > limits.maxWork) throw new Stop('work');
    if (work >= lookAt && limits.deadline) {
      lookAt = work + CLOCK_EVERY;
      if (limits.deadline.now() > limits.deadline.at) throw new Stop('time');
    }
  };
  const found = (tuple: number[]) => {
    if (matches.length >= limits.maxMatches) throw new Stop('matches');
    matches.push(tuple);
  };

  try {
    // The events passing each test, in index order.
    const candidates: number[][] = query.steps.map((expr) => {
      const list: number[] = [];
      for (let i = 0; i < events.length; i++) {
        spend();
        if (exprMatches(expr, events[i]!)) list.push(i);
      }
      return list;
    });
    const passes = candidates.map((list) => {
      const mask = new Uint8Array(events.length);
      for (const i of list) mask[i] = 1;
      return mask;
    });

    /** The events of step k+1 that `from` reaches by the k-th arrow, in index order. */
    const reached = (from: number, k: number): number[] => {
      const hops = query.hops[k]!;
      const wanted = passes[k + 1]!;
      if (hops === null) {
        const out: number[] = [];
        const clock = events[from]!.vectorClock;
        for (const j of candidates[k + 1]!) {
          spend();
          if (compare(clock, events[j]!.vectorClock) === 'before') out.push(j);
        }
        return out;
      }
      const seen = new Set<number>([from]);
      let frontier = [from];
      const out: number[] = [];
      for (let depth = 0; depth < hops && frontier.length > 0; depth++) {
        const following: number[] = [];
        for (const i of frontier) {
          const links = g!.receivers[i]!;
          const nextOnLane = g!.next[i]!;
          spend(links.length + 1);
          for (const j of nextOnLane >= 0 ? [nextOnLane, ...links] : links) {
            if (seen.has(j)) continue;
            seen.add(j);
            following.push(j);
            if (wanted[j]) out.push(j);
          }
        }
        frontier = following;
      }
      return out.sort((a, b) => a - b);
    };

    const extend = (tuple: number[]) => {
      const k = tuple.length - 1;
      if (k === query.steps.length - 1) {
        found([...tuple]);
        return;
      }
      for (const j of reached(tuple[k]!, k)) {
        tuple.push(j);
        extend(tuple);
        tuple.pop();
      }
    };
    for (const i of candidates[0]!) extend([i]);
    return { matches, truncated: null };
  } catch (error) {
    if (error instanceof Stop) return { matches, truncated: error.reason };
    throw error;
  }
}
