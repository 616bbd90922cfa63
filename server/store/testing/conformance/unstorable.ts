/**
 * What one adapter could store and another could not is refused by all of them alike, before the group commit:
 * NUL characters, unpaired surrogates, over-long indexed names, JSON nested too deep, revisions beyond an integer.
 * A refused call writes nothing and never fails the calls committed with it. Process names that objects inherit
 * as members (`constructor`, `__proto__`) are ordinary processes.
 */
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../shared/event.js';
import { DEPTH_LIMIT, NAME_LIMIT } from '../../../../shared/storable.js';
import { isStoreError, type StoreError } from '../../types.js';
import type { SuiteContext } from './context.js';
import { appendAll, draft, drafts, ids, storedFrom } from '../fixtures.js';

const NUL = 'contains a NUL character (U+0000)';

/** A draft with one bad part, and the field path and problem the refusal must name. */
interface BadCase {
  name: string;
  make: () => EventDraft;
  field: string | RegExp;
  problem: string | RegExp;
}

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

const BAD: BadCase[] = [
  { name: 'a NUL in the id', make: () => draft({ id: `evt-\u0000-${Math.random()}` }), field: 'id', problem: NUL },
  { name: 'a NUL in the type', make: () => draft({ type: 'reading\u0000' }), field: 'type', problem: NUL },
  { name: 'a NUL in the source', make: () => draft({ source: 'test://\u0000' }), field: 'source', problem: NUL },
  {
    // 1,000 characters of three bytes each: beside a long id, more than an index entry of the (source, id) pair holds.
    name: 'a source longer than 1,024 bytes of UTF-8',
    make: () => draft({ id: '\u4e00'.repeat(NAME_LIMIT), source: Array.from({ length: 1000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('') }),
    field: 'source',
    problem: 'is 3000 bytes as UTF-8, longer than 1024',
  },
  { name: 'a NUL in the subject', make: () => draft({ subject: 'sensor\u00007' }), field: 'subject', problem: NUL },
  { name: 'a NUL in the content type', make: () => draft({ datacontenttype: 'application/json\u0000' }), field: 'datacontenttype', problem: NUL },
  { name: 'a NUL in the stream', make: () => draft({ stream: 'orders\u0000' }), field: 'stream', problem: NUL },
  { name: 'a NUL in the process', make: () => draft({ process: 'edge\u0000', vectorClock: { 'edge\u0000': 1 } }), field: 'process', problem: NUL },
  { name: 'a NUL in a clock entry', make: () => draft({ vectorClock: { main: 4, 'dev\u0000': 1 } }), field: 'vectorClock["dev\\u0000"]', problem: `the process name ${NUL}` },
  { name: 'a NUL in the correlation id', make: () => draft({ correlationId: 'c\u0000' }), field: 'correlationId', problem: NUL },
  { name: 'a NUL in the causation id', make: () => draft({ causationId: 'c\u0000' }), field: 'causationId', problem: NUL },
  { name: 'a NUL in the flow id', make: () => draft({ flowId: 'f\u0000' }), field: 'flowId', problem: NUL },
  { name: 'a NUL in the node id', make: () => draft({ nodeId: 'n\u0000' }), field: 'nodeId', problem: NUL },
  { name: 'a NUL in a data string', make: () => draft({ data: { name: 'Ada\u0000' } }), field: 'data.name', problem: NUL },
  { name: 'a NUL as the data', make: () => draft({ data: '\u0000' }), field: 'data', problem: NUL },
  { name: 'a NUL deep in data', make: () => draft({ data: { list: [1, { ok: 'yes' }, { deep: ['x', 'y\u0000'] }] } }), field: 'data.list.2.deep.1', problem: NUL },
  { name: 'a NUL in a data key', make: () => draft({ data: { 'a\u0000b': 1 } }), field: 'data["a\\u0000b"]', problem: `its name ${NUL}` },
  { name: 'a NUL in metadata', make: () => draft({ metadata: { trace: '\u0000' } }), field: 'metadata.trace', problem: NUL },
  { name: 'a NUL in a metadata key', make: () => draft({ metadata: { '\u0000': 'x' } }), field: 'metadata["\\u0000"]', problem: `its name ${NUL}` },
  { name: 'a lone high surrogate in data', make: () => draft({ data: { name: 'x\uD800' } }), field: 'data.name', problem: /unpaired surrogate \(U\+D800 at index 1\)/ },
  { name: 'a lone low surrogate in the id', make: () => draft({ id: `\uDC00-${Math.random()}` }), field: 'id', problem: /unpaired surrogate \(U\+DC00 at index 0\)/ },
  { name: 'a reversed pair in the type', make: () => draft({ type: 'a\uDE00\uD83D' }), field: 'type', problem: /unpaired surrogate \(U\+DE00/ },
  { name: 'a lone surrogate in the stream', make: () => draft({ stream: '\uD83D' }), field: 'stream', problem: /unpaired surrogate/ },
  { name: 'a lone surrogate in a data key', make: () => draft({ data: { '\uDFFF': 1 } }), field: 'data["\\udfff"]', problem: /its name contains an unpaired surrogate/ },
  { name: 'an id longer than the names adapters index', make: () => draft({ id: `${'i'.repeat(NAME_LIMIT)}${Math.random()}` }), field: 'id', problem: `is longer than ${NAME_LIMIT} characters` },
  { name: 'a stream longer than that', make: () => draft({ stream: '流'.repeat(NAME_LIMIT + 1) }), field: 'stream', problem: `is longer than ${NAME_LIMIT} characters` },
  { name: 'a process longer than that', make: () => draft({ process: 'p'.repeat(NAME_LIMIT + 1), vectorClock: { ['p'.repeat(NAME_LIMIT + 1)]: 1 } }), field: 'process', problem: `is longer than ${NAME_LIMIT} characters` },
  { name: 'a correlation id longer than that', make: () => draft({ correlationId: 'c'.repeat(NAME_LIMIT + 1) }), field: 'correlationId', problem: `is longer than ${NAME_LIMIT} characters` },
  { name: 'a clock entry longer than that', make: () => draft({ vectorClock: { main: 9, ['q'.repeat(NAME_LIMIT + 1)]: 1 } }), field: /^vectorClock\["q+…"\]$/, problem: `the process name is longer than ${NAME_LIMIT} characters` },
  { name: 'data nested deeper than the limit', make: () => draft({ data: nested(DEPTH_LIMIT + 1) }), field: `data${'.0'.repeat(DEPTH_LIMIT)}`, problem: `nests deeper than ${DEPTH_LIMIT} levels` },
  { name: 'a revision beyond a 32-bit integer', make: () => draft({ revision: 2 ** 31 }), field: 'revision', problem: /must be an integer from 0 to 2147483647/ },
];

async function refusal(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isStoreError(error, 'invalid_event'), `expected a StoreError invalid_event, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

export function describeUnstorable(ctx: SuiteContext): void {
  describe('what some adapter cannot store', () => {
    it.each(BAD)('refuses $name with invalid_event naming the field, and writes nothing', async ({ make, field, problem }) => {
      const store = ctx.store();
      const bad = make();
      const error = await refusal(store.append([bad]));
      if (typeof field === 'string') expect(error.details.field).toBe(field);
      else expect(error.details.field).toMatch(field);
      if (typeof problem === 'string') expect(error.details.problem).toBe(problem);
      else expect(error.details.problem).toMatch(problem);
      expect(error.message).toContain(`${String(error.details.field)}: ${String(error.details.problem)}`);
      // The message is itself storable text: a dead letter may carry it.
      expect(error.message.includes('\u0000') || /[\uD800-\uDFFF]/.test(error.message)).toBe(false);
      expect(await store.head()).toBe(0);
    });

    it('stores what is at the limits exactly as given: names of 256 characters, surrogate pairs, 1,000 levels', async () => {
      const store = ctx.store();
      const longName = '名'.repeat(NAME_LIMIT);
      const d = draft({
        id: `i${'d'.repeat(NAME_LIMIT - 1)}`,
        stream: longName,
        process: longName,
        vectorClock: { [longName]: 1, 'sensor-😀': 2 },
        correlationId: 'c'.repeat(NAME_LIMIT),
        type: 'emoji.😀',
        data: { text: 'a\uD83D\uDE00b', '\uD83D\uDE00': nested(DEPTH_LIMIT - 1), control: '\u0001\u001f', escape: '\\u0000' },
        metadata: { note: 'tab\there' },
        revision: 2 ** 31 - 1,
      });
      const [stored] = await appendAll(store, [d]);
      expect(stored).toEqual(storedFrom(d, 1, 1));
      expect(await store.get(d.id)).toEqual(storedFrom(d, 1, 1));
    });

    it('refuses the whole batch for one bad event, naming its index, and writes nothing of it', async () => {
      const store = ctx.store();
      const batch = [draft(), draft(), draft({ data: { name: '\u0000' } }), draft()];
      const error = await refusal(store.append(batch));
      expect(error.details).toMatchObject({ index: 2, id: batch[2]!.id, field: 'data.name' });
      expect(await store.head()).toBe(0);
    });

    it('never fails the calls committed with a refused one', async () => {
      const store = ctx.store();
      const good = drafts(40, (i) => ({ stream: `s-${i % 4}`, data: { i } }));
      const bad = [draft({ id: 'bad\u0000' }), draft({ data: { v: '\uD800' } }), draft({ stream: 'x'.repeat(NAME_LIMIT + 1) })];
      const calls = [...good.map((d) => store.append([d])), ...bad.map((d) => store.append([d]))];
      const outcomes = await Promise.allSettled(calls);
      expect(outcomes.slice(0, good.length).map((o) => o.status)).toEqual(good.map(() => 'fulfilled'));
      for (const outcome of outcomes.slice(good.length)) {
        expect(outcome.status).toBe('rejected');
        expect(isStoreError((outcome as PromiseRejectedResult).reason, 'invalid_event')).toBe(true);
      }
      const stored = await store.read();
      expect(ids(stored).sort()).toEqual(ids(good).sort());
      expect(stored.map((e) => e.position)).toEqual(good.map((_, i) => i + 1));
    });
  });

  describe('process names that objects inherit as members', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('stores events of a process named %s and answers its causality', async (name) => {
      const store = ctx.store();
      const first = draft({ process: name, vectorClock: JSON.parse(`{"${name}": 1}`) });
      const other = draft({ process: 'main', vectorClock: JSON.parse(`{"main": 1, "${name}": 1}`) });
      const second = draft({ process: name, vectorClock: JSON.parse(`{"${name}": 2}`) });
      const [a, b, c] = await appendAll(store, [first, other, second]);
      expect(Object.entries(a!.vectorClock)).toEqual([[name, 1]]);
      expect(await store.get(first.id)).toEqual(storedFrom(first, 1, 1));
      expect(Object.entries((await store.latestClock(name))!)).toEqual([[name, 2]]);
      expect(await store.read({ process: name })).toEqual([a, c]);
      const cone = await store.causality(first.id);
      expect(cone).toMatchObject({ pastCount: 0, futureCount: 2, concurrent: 0 });
      expect(ids(cone!.future)).toEqual([other.id, second.id]);
      const ofOther = await store.causality(b!.id);
      expect(ids(ofOther!.past)).toEqual([first.id]);
      expect(ofOther!.concurrent).toBe(1);
    });
  });
}
