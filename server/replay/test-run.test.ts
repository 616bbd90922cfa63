import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../store/index.js';
import { runFlowTest, UNSAVED_FLOW_ID } from './test-run.js';

const live = openMemoryStore();

const ok = async (...args: Parameters<typeof runFlowTest>) => {
  const outcome = await runFlowTest(...args);
  if (!outcome.ok) throw new Error(`did not compile: ${JSON.stringify(outcome.errors)}`);
  return outcome.result;
};

describe('a flow test', () => {
  it('stops a flow that derives more than the test holds, saying so, and answers what it saw', async () => {
    const flow = {
      name: 'flood',
      nodes: [
        { id: 'in', type: 'http', config: {} },
        { id: 'many', type: 'function', config: { code: 'return Array.from({ length: 50 }, (_, i) => ({ type: "x", data: { i } }));' } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'many' }],
    };
    const result = await ok(live, { flow, inputs: [{ event: { type: 'go' } }, { event: { type: 'go' } }] }, { maxEvents: 60 });
    expect(result.stopped).toContain('at most');
    expect(result.nodes.many!.counts.received).toBe(2);
    expect(result.nodes.many!.counts.emitted).toBeLessThanOrEqual(60);
  });

  it('runs an unsaved document under its own id, with timers that do not fire and batches flushed at the end', async () => {
    const flow = {
      name: 'ticks',
      nodes: [
        { id: 'tick', type: 'timer', config: { intervalMs: 10, type: 'tick' } },
        { id: 'group', type: 'batch', config: { size: 100, type: 'ticks.batched' } },
      ],
      edges: [{ id: 'e1', source: 'tick', target: 'group' }],
    };
    const result = await ok(live, { flow, inputs: [{ event: { type: 'tick' } }, { event: { type: 'tick' } }] });
    expect(result.stopped).toBeNull();
    // Only the two given: the timer produced nothing of its own.
    expect(result.nodes.tick!.counts.received).toBe(2);
    expect(result.nodes.group!.counts.received).toBe(2);
    expect(result.nodes.group!.emitted).toHaveLength(1);
    expect(result.nodes.group!.emitted[0]!.event).toMatchObject({ type: 'ticks.batched', flowId: UNSAVED_FLOW_ID });
  });

  it('answers what it saw when the time runs out, within about the limit', async () => {
    const flow = {
      name: 'slow',
      nodes: [
        { id: 'in', type: 'http', config: {} },
        { id: 'spin', type: 'function', config: { code: 'const end = Date.now() + 150; while (Date.now() < end) {} return null;', timeoutMs: 1000 } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'spin' }],
    };
    const started = Date.now();
    const result = await ok(live, { flow, inputs: Array.from({ length: 20 }, () => ({ event: { type: 'go' } })) }, { timeLimitMs: 500 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.stopped).toContain('ran out of time');
  });
});
