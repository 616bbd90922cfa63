import { describe, expect, it } from 'vitest';
import { DEADLETTER_STREAM } from '../runtime/derive.js';
import { openMemoryStore } from '../store/index.js';
import { draft } from '../store/testing/fixtures.js';
import { deadLetterPage } from './dead-letter-view.js';
import { REDRIVE_STREAM } from './redrive-source.js';

const letter = (id: string, nodeId: string, code: string, flowId = 'f-1') =>
  draft({ id, stream: DEADLETTER_STREAM, flowId, nodeId, data: { error: { code, message: `${code} at ${nodeId}` }, node: { id: nodeId, type: 'function', name: '' }, event: { id: `in-${id}`, type: 'reading', source: 's', time: 't' } } });
const record = (deadLetterId: string, outcome: 'redriven' | 'failed', revision: number) =>
  draft({ stream: REDRIVE_STREAM, flowId: 'f-1', causationId: deadLetterId, data: { deadLetterId, outcome, revision, replayId: `r-${revision}`, error: null, outputs: [] } });

describe('the dead-letter view', () => {
  it('filters by flow, node and error code, and gives each letter its latest recorded outcome', async () => {
    const store = openMemoryStore();
    await store.append([letter('a', 'fn', 'error'), letter('b', 'fn', 'timeout'), letter('c', 'other', 'error'), letter('d', 'fn', 'error', 'f-2')]);
    await store.append([record('a', 'failed', 2), record('a', 'redriven', 3)]);
    const page = await deadLetterPage(store, { flowId: 'f-1', nodeId: 'fn' });
    expect(page.deadLetters.map((l) => [l.id, l.error.code, l.input?.id, l.outcome?.outcome ?? null, l.outcome?.revision ?? null])).toEqual([
      ['a', 'error', 'in-a', 'redriven', 3],
      ['b', 'timeout', 'in-b', null, null],
    ]);
    expect((await deadLetterPage(store, { code: 'error' })).deadLetters.map((l) => l.id)).toEqual(['a', 'c', 'd']);
    expect(page.next).toBeNull();
  });

  it('stops a page at its limit, or after scanning its most, with where to go on', async () => {
    const store = openMemoryStore();
    const [first, second] = await store.append([letter('a', 'fn', 'error'), letter('b', 'x', 'error'), letter('c', 'fn', 'error')]);
    const limited = await deadLetterPage(store, { limit: 1 });
    expect([limited.deadLetters.map((l) => l.id), limited.next]).toEqual([['a'], first!.event.position]);
    const scanned = await deadLetterPage(store, { nodeId: 'fn', after: first!.event.position }, 1);
    expect([scanned.deadLetters, scanned.next]).toEqual([[], second!.event.position]);
  });
});
