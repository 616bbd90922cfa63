import { describe, expect, test } from 'vitest';
import { jsonataSyntaxError } from '../../shared/jsonata-syntax.js';
import { compile } from './compile.js';
import { actor, chain, debug, errorsOf, filter, flow, graphOf, timer, withCode, type NodeSpec } from './testing/flows.js';

const keyed = (id: string, key: string): NodeSpec => ({ id, type: 'actor', config: { key, reducer: 'return {state, emit: []}' } });

describe('the flow’s partition key', () => {
  test('compiles into the graph as written; a flow without one has null', async () => {
    const withKey = graphOf(await compile(flow([timer(), debug()], chain('src', 'out'), { partitionKey: 'data.site' })));
    expect(withKey.partitionKey).toBe('data.site');
    expect(graphOf(await compile(flow([timer(), debug()], chain('src', 'out')))).partitionKey).toBeNull();
  });

  test('that does not parse as JSONata is a jsonata_syntax error on the path partitionKey, worded as a field’s', async () => {
    const errors = errorsOf(await compile(flow([timer(), debug()], chain('src', 'out'), { partitionKey: 'data.site )' })));
    const syntax = jsonataSyntaxError('data.site )')!;
    expect(errors).toEqual([{ code: 'jsonata_syntax', nodeId: null, path: 'partitionKey', message: `partitionKey: ${syntax.message}`, at: syntax.at }]);
  });

  test('that is empty is refused, naming the path and how to go without one', async () => {
    const errors = errorsOf(await compile(flow([timer(), debug()], chain('src', 'out'), { partitionKey: '  ' })));
    expect(errors).toEqual([
      { code: 'invalid_flow', nodeId: null, path: 'partitionKey', message: expect.stringMatching(/^partitionKey: an expression is required \(leave it out/) },
    ]);
  });

  test('that is not text, or too long, is refused by the flow schema on the path partitionKey', async () => {
    const notText = errorsOf(await compile(flow([timer(), debug()], chain('src', 'out'), { partitionKey: 7 })));
    expect(notText.map((p) => [p.code, p.path])).toEqual([['invalid_flow', 'partitionKey']]);
    const long = errorsOf(await compile(flow([timer(), debug()], chain('src', 'out'), { partitionKey: `data.${'a'.repeat(10_000)}` })));
    expect(long.map((p) => [p.code, p.path])).toEqual([['invalid_flow', 'partitionKey']]);
  });

  test('warns on each actor keyed otherwise: one actor key may then span partitions', async () => {
    const nodes = [timer(), keyed('bySite', 'data.site'), keyed('bySource', 'source'), actor('byDefault')];
    const result = await compile(flow(nodes, [...chain('src', 'bySite'), ...chain('src', 'bySource'), ...chain('src', 'byDefault')], { partitionKey: ' data.site ' }));
    expect(result.ok).toBe(true);
    const warned = withCode(result.warnings, 'actor_key_spans_partitions');
    expect(warned.map((w) => [w.nodeId, w.path])).toEqual([
      ['bySource', 'config.key'],
      ['byDefault', 'config.key'],
    ]);
    expect(warned[0]!.message).toBe(
      'actor "bySource" keys by "source", not by the flow\'s partitionKey "data.site": in a cluster one actor key may span partitions, with a state in each (set partitionKey to the actor\'s key, or leave it out)',
    );
  });

  test('gives no such warning without a partition key, or without an actor', async () => {
    const noKey = await compile(flow([timer(), keyed('a', 'source')], chain('src', 'a')));
    expect(withCode(noKey.warnings, 'actor_key_spans_partitions')).toEqual([]);
    const noActor = await compile(flow([timer(), filter('f'), debug()], chain('src', 'f', 'out'), { partitionKey: 'data.site' }));
    expect(withCode(noActor.warnings, 'actor_key_spans_partitions')).toEqual([]);
  });
});
