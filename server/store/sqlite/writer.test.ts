import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../shared/event.js';
import { draft } from '../testing/fixtures.js';
import type { AppendResult } from '../types.js';
import { checkDrafts } from '../validate.js';
import { Statements } from './rows.js';
import { openDatabase } from './schema.js';
import { openWriteConnection, type GroupOutcome, type GroupWrite, type WriteConnection } from './write-connection.js';
import { WriteState } from './write-state.js';
import { GroupCommitter, WRITE_SQL } from './writer.js';

/**
 * A writing connection whose answers the test releases one at a time (oldest first), so what the committer sends
 * meanwhile is visible: it writes a group only when released, as a writer thread would while it is busy.
 */
class GatedConnection implements WriteConnection {
  readonly sent: GroupWrite[] = [];
  private readonly waiting: { group: GroupWrite; answer: (outcome: Promise<GroupOutcome>) => void }[] = [];
  /** Makes the next released group fail as the writer would on an error. */
  failNext = false;

  constructor(private readonly inner: WriteConnection) {}

  appendGroup(group: GroupWrite): Promise<GroupOutcome> {
    this.sent.push(group);
    return new Promise((resolve) => this.waiting.push({ group, answer: resolve }));
  }

  run(statements: [string, unknown[]][]): Promise<number[]> {
    return this.inner.run(statements);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Writes the oldest waiting group and lets the committer take its answer. */
  async release(): Promise<void> {
    const next = this.waiting.shift();
    if (!next) throw new Error('no group is waiting');
    if (this.failNext) {
      this.failNext = false;
      next.answer(Promise.reject(new Error('disk I/O error')));
    } else next.answer(this.inner.appendGroup(next.group));
    await turn();
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

const open: { close(): void }[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function setup(aheadEvents?: number) {
  const db = openDatabase(':memory:');
  open.push(db);
  const statements = new Statements(db);
  const state = new WriteState(db, statements);
  const gate = new GatedConnection(openWriteConnection(db, WRITE_SQL, []));
  const foreign: number[] = [];
  const committer = new GroupCommitter(gate, statements, state, () => undefined, () => foreign.push(state.head), aheadEvents);
  const append = (events: EventDraft[]) => {
    const settled: { results?: AppendResult[]; error?: unknown } = {};
    const promise = committer.append({ namespace: 'live', events: checkDrafts(events) }).then(
      (results) => (settled.results = results),
      (error: unknown) => (settled.error = error),
    );
    return { settled, promise };
  };
  const positions = () => (db.prepare('SELECT position, id FROM events ORDER BY position').all() as { position: number; id: string }[]).map((r) => [r.position, r.id]);
  return { db, gate, committer, append, positions, foreign };
}

const summary = (results: AppendResult[] | undefined) => results?.map((r) => [r.event.id, r.event.position, r.duplicate]);

describe('group commit with groups under way', () => {
  it('plans the next group while one is written, as if that one commits, and answers each after its commit', async () => {
    const { gate, append, positions } = setup();
    const a = append([draft({ id: 'a1' }), draft({ id: 'a2' })]);
    await turn();
    const b = append([draft({ id: 'b1' })]);
    await turn();
    expect(gate.sent.map((g) => [g.head, g.rows.length])).toEqual([
      [0, 2],
      [2, 1],
    ]);
    expect(a.settled).toEqual({}); // nothing is answered before its commit
    await gate.release();
    await a.promise;
    expect(summary(a.settled.results)).toEqual([
      ['a1', 1, false],
      ['a2', 2, false],
    ]);
    expect(b.settled).toEqual({});
    await gate.release();
    await b.promise;
    expect(summary(b.settled.results)).toEqual([['b1', 3, false]]);
    expect(positions()).toEqual([
      [1, 'a1'],
      [2, 'a2'],
      [3, 'b1'],
    ]);
  });

  it('sends at most three groups ahead of the writer; what comes after waits for an answer, then goes as one group', async () => {
    const { gate, append } = setup();
    const calls = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      calls.push(append([draft({ id })]));
      await turn();
    }
    expect(gate.sent.map((g) => g.rows.map((row) => row[2]))).toEqual([['a'], ['b'], ['c']]);
    await gate.release();
    await turn(); // the answer makes room: the queued calls go at the end of the next turn
    expect(gate.sent.map((g) => g.rows.map((row) => row[2]))).toEqual([['a'], ['b'], ['c'], ['d', 'e']]);
    for (let i = 0; i < 3; i++) await gate.release();
    await Promise.all(calls.map((c) => c.promise));
    expect(calls.map((c) => c.settled.results?.[0]?.event.position)).toEqual([1, 2, 3, 4, 5]);
  });

  it('plans nothing ahead of groups whose changes the caches could not all hold: those calls wait for the answers', async () => {
    const { gate, append } = setup(3);
    const a = append([draft({ id: 'a1' }), draft({ id: 'a2' })]);
    await turn();
    const b = append([draft({ id: 'b1' }), draft({ id: 'b2' })]); // 2 under way + 2 waiting > 3
    await turn();
    expect(gate.sent).toHaveLength(1);
    await gate.release();
    await turn();
    expect(gate.sent.map((g) => g.head)).toEqual([0, 2]);
    await gate.release();
    await Promise.all([a.promise, b.promise]);
    expect(summary(b.settled.results)).toEqual([
      ['b1', 3, false],
      ['b2', 4, false],
    ]);
  });

  it('plans again, in order, a group refused for an id already stored and the group planned on it', async () => {
    const { gate, append, positions } = setup();
    const x = draft({ id: 'x' });
    const first = append([x]);
    await turn();
    await gate.release();
    await first.promise;

    const a = append([{ ...x }, draft({ id: 'y' })]); // "x" is a retry
    await turn();
    const b = append([draft({ id: 'z' })]);
    await turn();
    await gate.release(); // refused: "x" is stored
    await gate.release(); // refused: planned on a's writes, which did not happen
    expect(gate.sent.slice(1).map((g) => g.rows.map((row) => row[2]))).toEqual([['x', 'y'], ['z'], ['y'], ['z']]);
    await gate.release();
    await gate.release();
    await Promise.all([a.promise, b.promise]);
    expect(summary(a.settled.results)).toEqual([
      ['x', 1, true],
      ['y', 2, false],
    ]);
    expect(summary(b.settled.results)).toEqual([['z', 3, false]]);
    expect(positions()).toEqual([
      [1, 'x'],
      [2, 'y'],
      [3, 'z'],
    ]);
  });

  it('fails only the call that conflicts with a stored event once its group is planned again, writing its neighbours', async () => {
    const { gate, append, positions } = setup();
    const x = draft({ id: 'x', data: { v: 1 } });
    const first = append([x]);
    await turn();
    await gate.release();
    await first.promise;

    const before = append([draft({ id: 'before' })]);
    const conflicting = append([draft({ id: 'mine' }), { ...x, data: { v: 2 } }]);
    const after = append([draft({ id: 'after' })]);
    await turn();
    const behind = append([draft({ id: 'behind' })]);
    await turn();
    await gate.release(); // refused: "x" is stored, and the plan did not know
    await gate.release(); // refused: planned on that group's writes
    expect(gate.sent.slice(1).map((g) => g.rows.map((row) => row[2]))).toEqual([['before', 'mine', 'x', 'after'], ['behind'], ['before', 'after'], ['behind']]);
    await gate.release();
    await gate.release();
    await Promise.all([before.promise, conflicting.promise, after.promise, behind.promise]);
    expect(conflicting.settled.error).toMatchObject({ code: 'duplicate_conflict', details: { id: 'x', first: { position: 1 }, second: { index: 1 } } });
    expect([before, after, behind].map((c) => summary(c.settled.results))).toEqual([[['before', 2, false]], [['after', 3, false]], [['behind', 4, false]]]);
    expect(positions().map(([, id]) => id)).toEqual(['x', 'before', 'after', 'behind']);
  });

  it('fails only the calls of a group the writer refuses with an error, and writes the group behind it', async () => {
    const { gate, append, positions } = setup();
    const a = append([draft({ id: 'a' })]);
    await turn();
    const b = append([draft({ id: 'b' })]);
    await turn();
    gate.failNext = true;
    await gate.release();
    await gate.release(); // refused: planned on a's write
    await gate.release(); // b, planned again
    await Promise.all([a.promise, b.promise]);
    expect(String(a.settled.error)).toContain('disk I/O error');
    expect(summary(b.settled.results)).toEqual([['b', 1, false]]);
    expect(positions()).toEqual([[1, 'b']]);
  });

  it('plans a group again on what another connection appended after it was planned', async () => {
    const { db, gate, append, positions, foreign } = setup();
    const a = append([draft({ id: 'a', stream: 's' })]);
    await turn();
    // Another writer's event takes position 1 of stream "s" before the group is written.
    db.prepare(`${WRITE_SQL.insertEvent.replace('ON CONFLICT (namespace, id, source) DO NOTHING', '')}`).run(
      1, 'live', 'other', 't', 'src', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000000000Z', null, null, 'null',
      's', 1, 'p', 1, '{"p":1}', 'other', null, null, null, null, '{}', 1, 0,
    );
    await gate.release(); // refused: the head moved
    expect(foreign).toEqual([1]);
    await gate.release();
    await a.promise;
    expect(a.settled.results?.map((r) => [r.event.id, r.event.position, r.event.version])).toEqual([['a', 2, 2]]);
    expect(positions()).toEqual([
      [1, 'other'],
      [2, 'a'],
    ]);
  });
});
