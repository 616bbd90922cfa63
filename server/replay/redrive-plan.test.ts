import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/event.js';
import { deadLetterDraft, deriveContext } from '../runtime/derive.js';
import { ProcessClocks } from '../runtime/process-clocks.js';
import { storedEvent } from '../runtime/testing/fixtures.js';
import { graphOf } from '../runtime/testing/flows.js';
import { redrivePlan, REDRIVE_PRODUCER } from './redrive-plan.js';

/** http `in` → `a` (e1) and → `fn` (e2); `a` → `fn` (e3); `fn` → `out` (e4). */
const graph = () =>
  graphOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'a', type: 'transform', config: { expression: 'data', type: 'reading.copy' } },
      { id: 'fn', type: 'function', config: { code: 'return event;' } },
      { id: 'out', type: 'debug' },
    ],
    [
      ['in', 'a'],
      ['in', 'fn'],
      ['a', 'fn'],
      ['fn', 'out'],
    ],
  );

/** The dead letter `fn` writes for `input` arriving by `edge`, as stored. */
function letterOf(g: Awaited<ReturnType<typeof graph>>, input: StoredEvent, edge: string): StoredEvent {
  const ctx = deriveContext(g.flowId!, g.revision, g.nodes.get('fn')!, new ProcessClocks({ latestClock: async () => null }));
  return storedEvent(deadLetterDraft(ctx, input, edge, { code: 'error', message: 'boom' }));
}

describe('a re-drive plan', () => {
  it('delivers each input to the failing node alone, by the wire its dead letter says it came by', async () => {
    const g = await graph();
    const outside = storedEvent({ type: 'reading.recorded' });
    const own = storedEvent({ flowId: g.flowId, nodeId: 'a', causationId: outside.id, metadata: { port: 'out' } });
    const plan = redrivePlan(g, [
      { deadLetter: letterOf(g, outside, 'e2'), input: outside },
      { deadLetter: letterOf(g, own, 'e3'), input: own },
    ]);
    expect(plan.unrunnable).toEqual([]);
    expect(plan.fed.map((e) => [e.id, e.source, e.nodeId, e.causationId, e.correlationId])).toEqual([
      [outside.id, outside.source, `${REDRIVE_PRODUCER}0`, null, outside.correlationId],
      [own.id, own.source, `${REDRIVE_PRODUCER}1`, null, own.correlationId],
    ]);
    expect(plan.graph.outgoing.get(`${REDRIVE_PRODUCER}0`)?.get('out')?.map((w) => [w.edgeId, w.target])).toEqual([['e2', 'fn']]);
    expect(plan.graph.outgoing.get(`${REDRIVE_PRODUCER}1`)?.get('out')?.map((w) => [w.edgeId, w.target])).toEqual([['e3', 'fn']]);
    // Outputs are looked for at the failing node and after it, never at the node beside it.
    expect([...plan.reach.get(outside.id)!].sort()).toEqual(['fn', 'out']);
  });

  it("takes the dead letter's wire over the input's producer when they disagree: the derived ids follow the wire", async () => {
    const g = await graph();
    const outside = storedEvent({ type: 'reading.recorded' });
    const plan = redrivePlan(g, [{ deadLetter: letterOf(g, outside, 'e3'), input: outside }]);
    expect(plan.graph.outgoing.get(`${REDRIVE_PRODUCER}0`)?.get('out')?.map((w) => w.edgeId)).toEqual(['e3']);
  });

  it('cannot run a letter whose node the revision no longer has', async () => {
    const g = await graph();
    const input = storedEvent();
    const letter = { ...letterOf(g, input, 'e2'), nodeId: 'gone' };
    const plan = redrivePlan(g, [{ deadLetter: letter, input }]);
    expect(plan.unrunnable).toEqual([{ deadLetterId: letter.id, code: 'node_not_in_revision', message: expect.stringContaining('"gone"') }]);
    expect(plan.fed).toEqual([]);
  });
});
