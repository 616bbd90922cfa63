/**
 * Random runs of a few processes for property tests: each step is a local event, or a message — a send event on
 * one process and its receipt on another (the receipt merges the sender's clock), so every happened-before relation
 * among the events is carried by direct links.
 */
import fc from 'fast-check';
import { receive, tick, type VectorClock } from '../../clock.js';
import type { AnalysisEvent } from '../graph.js';

type Step = { kind: 'local'; p: number; type: number } | { kind: 'message'; from: number; to: number };

const PROCESSES = ['p0', 'p1', 'p2', 'p3'];
const TYPES = ['a', 'b', 'c'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('local' as const), p: fc.nat(3), type: fc.nat(2) }),
  fc
    .record({ kind: fc.constant('message' as const), from: fc.nat(3), to: fc.nat(3) })
    .filter((s) => s.from !== s.to),
);

/** A run of up to `maxSteps` steps, as events in the order they happened. */
export const randomRun = (maxSteps = 30): fc.Arbitrary<AnalysisEvent[]> =>
  fc.array(step, { maxLength: maxSteps }).map((steps) => {
    const clocks: VectorClock[] = PROCESSES.map(() => ({}));
    const events: AnalysisEvent[] = [];
    const add = (p: number, clock: VectorClock, type: string, causationId: string | null = null) => {
      clocks[p] = clock;
      const process = PROCESSES[p]!;
      const id = `${process}:${clock[process]}`;
      events.push({ id, type, source: 'test://run', process, vectorClock: clock, causationId, data: { text: `${type} on ${process}` } });
      return id;
    };
    for (const s of steps) {
      if (s.kind === 'local') add(s.p, tick(clocks[s.p]!, PROCESSES[s.p]!), TYPES[s.type]!);
      else {
        add(s.from, tick(clocks[s.from]!, PROCESSES[s.from]!), 'send');
        add(s.to, receive(clocks[s.to]!, clocks[s.from]!, PROCESSES[s.to]!), 'receive');
      }
    }
    return events;
  });
