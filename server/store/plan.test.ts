import { describe, expect, it } from 'vitest';
import type { EventDraft, StoredEvent } from '../../shared/event.js';
import { draft } from './testing/fixtures.js';
import { planGroup, type AppendCall, type LatestClock, type StoreView } from './plan.js';
import { checkDrafts } from './validate.js';

const call = (events: EventDraft[], namespace = 'live'): AppendCall => ({ namespace, events: checkDrafts(events) });

/** A store view over plain maps, as an adapter would load it. */
function view(options: {
  head?: number;
  stored?: StoredEvent[];
  versions?: Record<string, number>;
  clocks?: Record<string, LatestClock>;
}): StoreView {
  return {
    head: options.head ?? 0,
    stored: (namespace, source, id) => (namespace === 'live' ? options.stored?.find((e) => e.source === source && e.id === id) : undefined),
    version: (_namespace, stream) => options.versions?.[stream] ?? 0,
    latestClock: (_namespace, process) => options.clocks?.[process] ?? null,
  };
}

describe('planning a group commit', () => {
  it('numbers new events after the head in call order and streams after their current version', () => {
    const plan = planGroup([call([draft({ stream: 's' }), draft({ stream: 't' })]), call([draft({ stream: 's' })])], view({ head: 7, versions: { s: 2 } }));
    expect(plan.writes.map((w) => [w.event.position, w.event.stream, w.event.version])).toEqual([
      [8, 's', 3],
      [9, 't', 1],
      [10, 's', 4],
    ]);
    expect(plan.head).toBe(10);
    expect(plan.added).toEqual(new Map([['live', 3]]));
  });

  it('refuses whole a call whose fence no longer holds, and plans the others as if it had not been made', () => {
    const held = { flowId: 'f', partition: 0, owner: 'a', epoch: 2 };
    const taken = { flowId: 'f', partition: 1, owner: 'a', epoch: 1 };
    const fenced = (events: EventDraft[], fence: typeof held): AppendCall => ({ ...call(events), fence });
    const holds = (f: typeof held) => f.partition === held.partition && f.epoch === held.epoch;
    const plan = planGroup(
      [fenced([draft({ stream: 's' })], held), fenced([draft({ stream: 's' }), draft({ stream: 't' })], taken), call([draft({ stream: 's' })])],
      { ...view({}), fenceHolds: holds },
    );
    expect(plan.outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'fenced', 'ok']);
    expect(plan.writes.map((w) => [w.event.position, w.event.stream, w.event.version])).toEqual([
      [1, 's', 1],
      [2, 's', 2],
    ]);
    // A view that cannot check fences refuses every fenced call rather than let one through unchecked.
    expect(planGroup([fenced([draft()], held)], view({})).outcomes[0]!.ok).toBe(false);
  });

  it('fails only the call whose expected version is stale, and gives its positions to the next call', () => {
    const plan = planGroup(
      [call([draft({ stream: 'a' })]), call([draft({ stream: 'b' }), draft({ stream: 's', expectedVersion: 0 })]), call([draft({ stream: 'c' })])],
      view({ versions: { s: 1 } }),
    );
    expect(plan.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = plan.outcomes[1]!;
    expect(!failed.ok && failed.error.code).toBe('version_conflict');
    expect(plan.writes.map((w) => [w.event.stream, w.event.position])).toEqual([
      ['a', 1],
      ['c', 2],
    ]);
    expect(plan.versions.map((v) => v.stream).sort()).toEqual(['a', 'c']);
  });

  it('takes back every change of a failing call, leaving what earlier calls planned for the same stream and process', () => {
    const first = draft({ id: 'first', stream: 's', process: 'p', vectorClock: { p: 1 } });
    const failing = [draft({ id: 'x', stream: 's', process: 'p', vectorClock: { p: 2 } }), draft({ stream: 's', expectedVersion: 0 })];
    const plan = planGroup([call([first]), call(failing), call([draft({ id: 'x', stream: 's', process: 'p', vectorClock: { p: 3 } })])], view({}));
    expect(plan.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    // "x" is new again (not a duplicate of the failed call's), and follows "first" in stream, position and seq.
    expect(plan.writes.map((w) => [w.event.id, w.event.version, w.event.position, w.seq])).toEqual([
      ['first', 1, 1, 1],
      ['x', 2, 2, 2],
    ]);
    expect(plan.versions).toEqual([{ namespace: 'live', stream: 's', version: 2 }]);
    expect(plan.clocks.map((c) => c.latest.own)).toEqual([3]);
  });

  it('answers a source and id stored before, or earlier in the group, with the same content, with that event as a duplicate', () => {
    const old = draft({ id: 'old' });
    const stored = planGroup([call([old])], view({})).writes[0]!.event;
    const fresh = draft({ id: 'new' });
    // Time and clock are stamped per delivery: a retry may differ in them and is still the same event.
    const plan = planGroup([call([{ ...old, time: new Date().toISOString() }, fresh]), call([{ ...fresh, vectorClock: { main: 999 } }])], view({ head: 1, stored: [stored] }));
    const results = plan.outcomes.flatMap((o) => (o.ok ? o.results : []));
    expect(results.map((r) => [r.event.id, r.duplicate, r.event.position])).toEqual([
      ['old', true, 1],
      ['new', false, 2],
      ['new', true, 2],
    ]);
    expect(plan.writes).toHaveLength(1);
  });

  it('plans an id stored from another source as a new event', () => {
    const stored = planGroup([call([draft({ id: 'shared', source: 'test://a' })])], view({})).writes[0]!.event;
    const plan = planGroup([call([draft({ id: 'shared', source: 'test://b' }), draft({ id: 'shared', source: 'test://c' })])], view({ head: 1, stored: [stored] }));
    expect(plan.outcomes.flatMap((o) => (o.ok ? o.results : [])).map((r) => [r.event.source, r.duplicate, r.event.position])).toEqual([
      ['test://b', false, 2],
      ['test://c', false, 3],
    ]);
  });

  it('fails only the call that repeats a stored source and id with other content, naming both events', () => {
    const original = draft({ id: 'taken', stream: 's' });
    const stored = planGroup([call([original])], view({ head: 4 })).writes[0]!.event;
    const plan = planGroup(
      [call([draft({ stream: 'a' })]), call([draft(), { ...original, data: { other: true } }]), call([draft({ stream: 'c' })])],
      view({ head: 5, stored: [stored] }),
    );
    expect(plan.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = plan.outcomes[1]!;
    expect(!failed.ok && failed.error).toMatchObject({
      code: 'duplicate_conflict',
      details: { source: original.source, id: 'taken', fields: ['data'], first: { index: null, position: 5, stream: 's' }, second: { index: 1, stream: 's' } },
    });
    expect(plan.writes.map((w) => [w.event.stream, w.event.position])).toEqual([
      ['a', 6],
      ['c', 7],
    ]);
  });

  it('fails a call that holds a source and id twice with other content, naming both indexes, and not the calls before it', () => {
    const before = draft({ id: 'b' });
    const twice = draft({ id: 'twice', type: 'one' });
    const plan = planGroup([call([before]), call([draft(), twice, { ...before }, { ...twice, type: 'two', stream: 'x' }])], view({}));
    expect(plan.outcomes.map((o) => o.ok)).toEqual([true, false]);
    const failed = plan.outcomes[1]!;
    expect(!failed.ok && failed.error).toMatchObject({
      code: 'duplicate_conflict',
      details: { id: 'twice', fields: ['type', 'stream'], first: { index: 1, position: null }, second: { index: 3, stream: 'x' } },
    });
    expect(!failed.ok && failed.error.message).toContain('#1 and #3');
    expect(plan.writes.map((w) => w.event.id)).toEqual(['b']);
  });

  it('answers a derived event planned again with other content (a node run again) with the first as a duplicate', () => {
    const derived = draft({ id: 'd', nodeId: 'n1', flowId: 'f', causationId: 'cause', data: { at: 1 } });
    const stored = planGroup([call([derived])], view({})).writes[0]!.event;
    const plan = planGroup([call([{ ...derived, data: { at: 2 }, time: new Date().toISOString() }])], view({ head: 1, stored: [stored] }));
    expect(plan.outcomes[0]).toEqual({ ok: true, results: [{ event: stored, duplicate: true }] });
  });

  it('records the clock entries that changed since the latest event of the process, and all of them without one', () => {
    const plan = planGroup(
      [
        call([
          draft({ process: 'edge', vectorClock: { edge: 4, main: 2, sensor: 9 } }),
          draft({ process: 'cloud', vectorClock: { cloud: 1, main: 3 } }),
          draft({ process: 'edge', vectorClock: { edge: 2, main: 1, sensor: 1 } }),
        ]),
      ],
      view({ clocks: { edge: { own: 3, clock: { edge: 3, main: 2, sensor: 5 }, events: 3, lanes: [] } } }),
    );
    expect(plan.writes.map((w) => w.clockEntries)).toEqual([
      [['sensor', 9]],
      [['main', 3]],
      [
        ['main', 1],
        ['sensor', 1],
      ], // arrives after a later event of its process: every entry
    ]);
    expect(plan.clocks.find((c) => c.process === 'edge')!.latest).toEqual({ own: 4, clock: { edge: 4, main: 2, sensor: 9 }, events: 5, lanes: [2] });
  });

  it('numbers events after their process’s events, puts late ones in the first lane they keep in order, renumbers from the lowest', () => {
    const plan = planGroup(
      [
        call([
          draft({ process: 'edge', vectorClock: { edge: 4 } }),
          draft({ process: 'edge', vectorClock: { edge: 3 } }),
          draft({ process: 'cloud', vectorClock: { cloud: 1 } }),
        ]),
        call([draft({ process: 'edge', vectorClock: { edge: 1 } }), draft({ stream: 's', expectedVersion: 5 })]),
        call([
          draft({ process: 'edge', vectorClock: { edge: 2 } }),
          draft({ process: 'edge', vectorClock: { edge: 4 } }),
          draft({ process: 'edge', vectorClock: { edge: 3 } }),
        ]),
      ],
      view({ clocks: { edge: { own: 3, clock: { edge: 3 }, events: 7, lanes: [] } } }),
    );
    expect(plan.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(plan.writes.map((w) => [w.event.process, w.own, w.seq, w.lane])).toEqual([
      ['edge', 4, 8, 0],
      ['edge', 3, 9, 1],
      ['cloud', 1, 1, 0],
      ['edge', 2, 10, 2],
      ['edge', 4, 11, 0],
      ['edge', 3, 12, 1],
    ]);
    expect(plan.renumber).toEqual([{ namespace: 'live', process: 'edge', from: 2 }]);
    expect(plan.clocks.find((c) => c.process === 'edge')!.latest).toEqual({ own: 4, clock: { edge: 4 }, events: 12, lanes: [3, 2] });
  });

  it('hands back events as they read back from storage: JSON copies with absent fields null', () => {
    const d = draft({ data: { when: new Date(Date.UTC(2026, 0, 1)), skip: undefined } });
    const { subject: _subject, ...withoutSubject } = d;
    const plan = planGroup([call([withoutSubject as EventDraft])], view({}));
    const event = plan.writes[0]!.event;
    expect(event.data).toEqual({ when: '2026-01-01T00:00:00.000Z' });
    expect(event.subject).toBeNull();
    expect(JSON.parse(plan.writes[0]!.data)).toEqual(event.data);
  });

  it('fails a call whose data is not JSON without touching the others', () => {
    const plan = planGroup([call([draft({ data: { n: 1n } })]), call([draft()])], view({}));
    expect(plan.outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(plan.writes.map((w) => w.event.position)).toEqual([1]);
  });
});
