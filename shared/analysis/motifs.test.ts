import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { happenedGraph, type AnalysisEvent } from './graph.js';
import { findMotif } from './motifs.js';
import { logEvents } from './testing/shiviz-logs.js';
import { randomRun } from './testing/random-run.js';

const textOf = (e: AnalysisEvent) => (e.data as { text: string }).text;
const event = (id: string, process: string, vectorClock: Record<string, number>): AnalysisEvent => ({ id, type: 't', source: 'test://m', process, vectorClock, causationId: null });

describe('the happened-before graph', () => {
  it('links a receipt to the latest sender only, not to what that sender had learned', () => {
    // a:1 → b:1; b:2 → c:1. c learns a:1 through b, but only b:2 sent to it.
    const events = [event('a1', 'a', { a: 1 }), event('b1', 'b', { a: 1, b: 1 }), event('b2', 'b', { a: 1, b: 2 }), event('c1', 'c', { a: 1, b: 2, c: 1 })];
    const g = happenedGraph(events);
    expect(g.senders[3]).toEqual([2]);
    expect(g.senders[1]).toEqual([0]);
    expect(g.receivers[0]).toEqual([1]);
    expect([...g.next]).toEqual([-1, 2, -1, -1]);
  });
});

describe('motifs on reliable-broadcast.log', () => {
  const events = logEvents('reliable-broadcast.log');
  const graph = happenedGraph(events);

  it('finds the broadcasts: one node sending SLDeliver of one message to each other live node', () => {
    const found = findMotif(events, graph, 'broadcast', null);
    expect(found.length).toBeGreaterThan(0);
    const describe = found.map((m) => m.map((i) => `${events[i]!.process}:${textOf(events[i]!)}`));
    // node0 broadcasts Message3 to node2 and node3 (node1 crashed).
    expect(describe).toContainEqual([
      'node0:Sending SLDeliver(DataMessage(3,Message3)) to node2',
      'node0:Sending SLDeliver(DataMessage(3,Message3)) to node3',
      'node2:Received SLDeliver(DataMessage(3,Message3)) from node0',
      'node3:Received SLDeliver(DataMessage(3,Message3)) from node0',
    ]);
    for (const m of found) {
      const sends = m.filter((i) => graph.receivers[i]!.length > 0 && m.some((j) => graph.senders[j]!.includes(i)));
      expect(new Set(sends.map((i) => events[i]!.process)).size).toBe(1);
    }
    expect(findMotif(events, graph, 'broadcast', 3)).toEqual([]);
  });

  it('finds the gathers: one node receiving ACKs from two others in succession', () => {
    const found = findMotif(events, graph, 'gather', 2);
    expect(found.length).toBeGreaterThan(0);
    for (const m of found) {
      const receiver = events[m[0]!]!.process;
      const senders = new Set(m.filter((i) => events[i]!.process !== receiver).map((i) => events[i]!.process));
      expect(senders.size).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('request–response', () => {
  // p:1 asks q; q:1 receives, q:2 works, q:3 answers; p:2 local, p:3 receives the answer.
  const events = [
    event('p1', 'p', { p: 1 }),
    event('q1', 'q', { p: 1, q: 1 }),
    event('q2', 'q', { p: 1, q: 2 }),
    event('q3', 'q', { p: 1, q: 3 }),
    event('p2', 'p', { p: 2 }),
    event('p3', 'p', { p: 3, q: 3 }),
  ];
  const graph = happenedGraph(events);
  const ids = (m: number[][]) => m.map((x) => x.map((i) => events[i]!.id));

  it('finds a request and its answer within the local events allowed between', () => {
    expect(ids(findMotif(events, graph, 'request-response', null))).toEqual([['p1', 'q1', 'q3', 'p3']]);
    expect(ids(findMotif(events, graph, 'request-response', 2))).toEqual([['p1', 'q1', 'q3', 'p3']]);
    // Two local events lie between the request and the answer on q (q1 to q3): with at most 1, none.
    expect(findMotif(events, graph, 'request-response', 1)).toEqual([]);
  });
});

describe('motifs on random runs (property)', () => {
  it('each broadcast is sent from one process to at least k others, each gather received by one from at least k', () => {
    fc.assert(
      fc.property(randomRun(40), fc.integer({ min: 1, max: 3 }), (events, k) => {
        const graph = happenedGraph(events);
        for (const m of findMotif(events, graph, 'broadcast', k)) {
          const origin = events[m[0]!]!.process;
          const sends = m.filter((i) => events[i]!.process === origin);
          const targets = new Set(sends.flatMap((i) => graph.receivers[i]!.map((j) => events[j]!.process)));
          expect(targets.size).toBeGreaterThanOrEqual(k);
          // Consecutive on their lane, with no receipt after the first.
          for (let s = 1; s < sends.length; s++) {
            for (let i = graph.next[sends[s - 1]!]!; i !== sends[s]; i = graph.next[i]!) {
              expect(i).toBeGreaterThanOrEqual(0);
              expect(graph.senders[i]!).toEqual([]);
            }
            expect(graph.senders[sends[s]!]!).toEqual([]);
          }
        }
        for (const m of findMotif(events, graph, 'gather', k)) {
          const sink = events[m[0]!]!.process;
          const from = new Set(m.filter((i) => events[i]!.process !== sink).map((i) => events[i]!.process));
          expect(from.size).toBeGreaterThanOrEqual(k);
        }
      }),
      { numRuns: 200 },
    );
  });
});
