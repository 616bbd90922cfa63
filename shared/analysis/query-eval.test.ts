import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare } from '../clock.js';
import { happenedGraph, type AnalysisEvent } from './graph.js';
import { globMatches } from './matching.js';
import { parseQuery } from './query-parse.js';
import { evaluateQuery, type EvalLimits } from './query-eval.js';
import { logEvents } from './testing/shiviz-logs.js';
import { randomRun } from './testing/random-run.js';

const run = (text: string, events: readonly AnalysisEvent[], limits?: EvalLimits) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return evaluateQuery(parsed.query, events, limits);
};

/** p sends to q (p:1 → q:1), q works (q:2), q answers p (q:3 → p:2). */
const exchange: AnalysisEvent[] = [
  { id: 'p1', type: 'request.sent', source: 'test://x', process: 'p', vectorClock: { p: 1 }, causationId: null, data: { text: 'ask', n: 1 } },
  { id: 'q1', type: 'request.received', source: 'test://x', process: 'q', vectorClock: { p: 1, q: 1 }, causationId: null, data: { text: 'got it', n: 2 } },
  { id: 'q2', type: 'work', source: 'test://x', process: 'q', vectorClock: { p: 1, q: 2 }, causationId: null, data: { nested: { ok: true } } },
  { id: 'q3', type: 'reply.sent', source: 'test://x', process: 'q', vectorClock: { p: 1, q: 3 }, causationId: null },
  { id: 'p2', type: 'reply.received', source: 'test://x', process: 'p', vectorClock: { p: 2, q: 3 }, causationId: null },
];
const ids = (matches: number[][]) => matches.map((m) => m.map((i) => exchange[i]!.id));

describe('evaluating a structured search', () => {
  it('finds single events by type pattern, process, payload field and text', () => {
    expect(ids(run('type = request.*', exchange).matches)).toEqual([['p1'], ['q1']]);
    expect(ids(run('host = q and not type = work', exchange).matches)).toEqual([['q1'], ['q3']]);
    expect(ids(run('data.n = 2', exchange).matches)).toEqual([['q1']]);
    expect(ids(run('data.nested.ok = true', exchange).matches)).toEqual([['q2']]);
    expect(ids(run('data.missing != x', exchange).matches)).toHaveLength(5);
    expect(ids(run('text ~ GOT', exchange).matches)).toEqual([['q1']]);
  });

  it('pairs events by happened-before, unbounded or within N direct links', () => {
    expect(ids(run('id = p1 -> host = q', exchange).matches)).toEqual([['p1', 'q1'], ['p1', 'q2'], ['p1', 'q3']]);
    expect(ids(run('id = p1 -> within 1 *', exchange).matches)).toEqual([['p1', 'q1'], ['p1', 'p2']]);
    expect(ids(run('id = p1 -> within 2 host = q', exchange).matches)).toEqual([['p1', 'q1'], ['p1', 'q2']]);
    expect(ids(run('type = request.sent -> type = work -> type = reply.received', exchange).matches)).toEqual([['p1', 'q2', 'p2']]);
    expect(run('type = reply.received -> *', exchange).matches).toEqual([]);
  });

  it('stops at the most matches or the most work, saying which', () => {
    const events = logEvents('reliable-broadcast.log');
    const many = run('* -> *', events, { maxMatches: 10, maxWork: 1e9 });
    expect(many.matches).toHaveLength(10);
    expect(many.truncated).toBe('matches');
    const costly = run('* -> within 1000 *', events, { maxMatches: 1e9, maxWork: 2000 });
    expect(costly.truncated).toBe('work');
    expect(run('* -> *', events).truncated).toBe('matches');
    expect(run('type = shiviz.event', events).truncated).toBeNull();
    let now = 0;
    const late = run('* -> within 1000 *', events, { maxMatches: 1e9, maxWork: 1e9, deadline: { now: () => (now += 10), at: 5 } });
    expect(late.truncated).toBe('time');
  });

  it('pairs each delivered send of reliable-broadcast.log with its receipt, one link away', () => {
    const events = logEvents('reliable-broadcast.log');
    const graph = happenedGraph(events);
    const answer = run('text ~ "Sending SLDeliver" -> within 1 text ~ "Received SLDeliver"', events);
    expect(answer.truncated).toBeNull();
    // One link: the message itself, or the next event on the sender's own lane.
    for (const [send, receipt] of answer.matches) expect(graph.receivers[send!]!.includes(receipt!) || graph.next[send!] === receipt).toBe(true);
    const messages = answer.matches.filter(([send, receipt]) => events[send!]!.process !== events[receipt!]!.process);
    // Every SLDeliver that arrived (node1 crashed: what was sent to it never did).
    const delivered = events.flatMap((e, i) => ((e.data as { text: string }).text.startsWith('Sending SLDeliver') ? graph.receivers[i]!.map((r) => [i, r]) : []));
    expect(messages).toEqual(delivered.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    expect(messages.length).toBeGreaterThan(5);
    for (const [send, receipt] of messages) expect((events[receipt!]!.data as { text: string }).text).toContain(`from ${events[send!]!.process}`);
  });

  it('finds exactly the happened-before pairs, and within N links a subset that grows to them (property)', () => {
    fc.assert(
      fc.property(randomRun(24), fc.integer({ min: 1, max: 4 }), (events, hops) => {
        const expected: number[][] = [];
        for (let i = 0; i < events.length; i++) for (let j = 0; j < events.length; j++) if (compare(events[i]!.vectorClock, events[j]!.vectorClock) === 'before') expected.push([i, j]);
        const key = (m: number[]) => m.join(',');
        expect(run('* -> *', events, { maxMatches: 1e6, maxWork: 1e9 }).matches.map(key).sort()).toEqual(expected.map(key).sort());
        const near = new Set(run(`* -> within ${hops} *`, events, { maxMatches: 1e6, maxWork: 1e9 }).matches.map(key));
        const all = new Set(expected.map(key));
        for (const k of near) expect(all.has(k)).toBe(true);
        expect(run('* -> within 1000 *', events, { maxMatches: 1e6, maxWork: 1e9 }).matches.map(key).sort()).toEqual(expected.map(key).sort());
      }),
      { numRuns: 150 },
    );
  });
});

describe('wildcard patterns', () => {
  it('match as a regular expression of .* would, without one (property)', () => {
    const alphabet = fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 8 });
    const text = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 10 });
    fc.assert(
      fc.property(alphabet, text, (pattern, t) => {
        const reference = new RegExp(`^${pattern.split('*').join('.*')}$`).test(t);
        expect(globMatches(pattern, t)).toBe(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it('decide a pattern of many stars against a long text quickly', () => {
    const started = performance.now();
    expect(globMatches(`${'*a'.repeat(400)}*b`, 'a'.repeat(1_000_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
