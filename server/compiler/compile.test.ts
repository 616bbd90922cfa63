import { describe, expect, test } from 'vitest';
import { NODE_TYPES } from '../../shared/nodes/index.js';
import { compile, DEFAULT_HOP_LIMIT, ERROR_CODES, validateFlow, WARNING_CODES } from './compile.js';
import { actor, chain, debug, errorsOf, filter, flow, fn, graphOf, timer, withCode, type NodeSpec } from './testing/flows.js';

/** The minimum config of every node type (the API's table). */
const MINIMAL: Record<string, Record<string, unknown>> = {
  http: { types: ['reading.*'] },
  mqtt: { url: 'mqtt://127.0.0.1:1883', topic: 'plant/+/temp', qos: 1, type: 'reading.recorded' },
  timer: { intervalMs: 1000, type: 'tick', data: {} },
  simulator: { devices: 8, intervalMs: 500, type: 'reading.recorded' },
  filter: { expression: 'data.t > 8' },
  transform: { expression: "{'celsius': data.t}", type: 'reading.converted' },
  router: { rules: [{ port: 'hot', expression: 'data.t > 8' }] },
  batch: { size: 100, timeoutMs: 1000, type: 'readings.batched' },
  throttle: { perSecond: 10, key: 'source' },
  dedupe: { key: 'data.id', windowMs: 60000 },
  function: { code: "return {type: 'x', data: {v: event.data.t}}", timeoutMs: 50, priority: 0 },
  actor: { key: 'source', initialState: {}, reducer: 'return {state, emit: []}', strategy: 'restart', timeoutMs: 100, snapshotEvery: 100 },
  debug: {},
  store: { stream: 'alerts' },
  'mqtt-publish': { url: 'mqtt://127.0.0.1:1883', topic: 'alerts', qos: 1 },
  'http-request': { url: 'http://127.0.0.1:9000/hook', method: 'POST', timeoutMs: 5000, retries: 3 },
  'subflow-in': {},
  'subflow-out': { port: 'out' },
  'link-in': { link: 'readings' },
  'link-out': { link: 'alerts' },
};

/** Every node type that runs as itself: a `subflow` node is expanded into its subflow's nodes (subflows.test.ts). */
const RUNNING_TYPES = NODE_TYPES.filter((d) => d.type !== 'subflow');

describe('a valid flow', () => {
  test('using every node type that runs as itself compiles, with every config default filled in', async () => {
    const nodes: NodeSpec[] = RUNNING_TYPES.map((d) => ({ id: `n-${d.type}`, type: d.type, config: MINIMAL[d.type] }));
    const sources = RUNNING_TYPES.filter((d) => d.kind === 'source').map((d) => `n-${d.type}`);
    const middle = RUNNING_TYPES.filter((d) => d.kind !== 'source' && d.kind !== 'sink').map((d) => `n-${d.type}`);
    const sinks = RUNNING_TYPES.filter((d) => d.kind === 'sink').map((d) => `n-${d.type}`);
    const edges = [
      ...sources.map((s) => ({ source: s, target: middle[0]! })),
      ...middle.slice(1).map((target, i) => ({ source: middle[i]!, target, sourcePort: middle[i] === 'n-router' ? 'hot' : 'out' })),
      ...sinks.map((s) => ({ source: middle.at(-1)!, target: s })),
    ];
    expect(Object.keys(MINIMAL).sort()).toEqual(RUNNING_TYPES.map((d) => d.type).sort());

    const result = await compile(flow(nodes, edges, { id: 'f-1', revision: 3 }));
    const graph = graphOf(result);

    expect(result.warnings).toEqual([]); // an unwired router port ("otherwise") is no problem
    expect([...graph.nodes.keys()]).toEqual(nodes.map((n) => n.id));
    expect(graph.sources).toEqual(sources);
    expect(graph.flowId).toBe('f-1');
    expect(graph.revision).toBe(3);
    expect(graph.hopLimit).toBe(DEFAULT_HOP_LIMIT);
    for (const definition of RUNNING_TYPES) {
      const node = graph.nodes.get(`n-${definition.type}`)!;
      expect(node).toMatchObject({ type: definition.type, kind: definition.kind, behaviour: definition.behaviour, process: 'main' });
      expect(node.config).toEqual(definition.config.parse(MINIMAL[definition.type]));
    }
    expect(graph.nodes.get('n-function')!.config).toMatchObject({ memoryMb: 16 });
    expect(graph.nodes.get('n-mqtt')!.config).toMatchObject({ deviceField: 'deviceId' });
    expect(graph.nodes.get('n-simulator')!.config).toMatchObject({ prefix: 'sensor', model: { base: 4, noise: 0.5 } });
    expect(graph.nodes.get('n-router')!.config).toMatchObject({ mode: 'first' });
    expect(graph.nodes.get('n-http-request')!.config).toMatchObject({ headers: {} });
    expect(graph.nodes.get('n-debug')!.config).toEqual({ active: true });
    expect(graph.incoming.get(middle[0]!)).toBe(sources.length);
  });

  test('fills defaults for configs left empty', async () => {
    const graph = graphOf(await compile(flow([{ id: 'h', type: 'http' }, { id: 'd', type: 'dedupe' }, debug()], chain('h', 'd', 'out'))));
    expect(graph.nodes.get('h')!.config).toEqual({ types: ['*'] });
    expect(graph.nodes.get('d')!.config).toEqual({ key: 'id', windowMs: 60_000 });
  });

  test('keeps the name and process of each node', async () => {
    const graph = graphOf(
      await compile(flow([{ ...timer(), name: 'tick', process: 'edge-1' }, debug()], chain('src', 'out'))),
    );
    expect(graph.nodes.get('src')).toMatchObject({ name: 'tick', process: 'edge-1', inputs: [], outputs: ['out'] });
    expect(graph.nodes.get('out')).toMatchObject({ name: '', process: 'main', inputs: ['in'], outputs: [] });
  });

  test('orders fan-out targets by handler priority, higher first, ties by edge order', async () => {
    const nodes = [timer(), fn('low', -5), fn('plain'), fn('high', 10), filter('f'), fn('also-plain', 0), debug()];
    const edges = [
      ...['low', 'plain', 'high', 'f', 'also-plain'].map((target) => ({ source: 'src', target })),
      ...['low', 'plain', 'high', 'f', 'also-plain'].map((source) => ({ source, target: 'out' })),
    ];
    const graph = graphOf(await compile(flow(nodes, edges)));
    expect(graph.outgoing.get('src')!.get('out')!.map((w) => w.target)).toEqual(['high', 'plain', 'f', 'also-plain', 'low']);
    expect(graph.outgoing.get('src')!.get('out')![0]).toEqual({ edgeId: 'e2', target: 'high', targetPort: 'in' });
    expect(graph.incoming.get('out')).toBe(5);
  });

  test('takes router output ports from its rules, plus "otherwise"', async () => {
    const router: NodeSpec = {
      id: 'r',
      type: 'router',
      config: { rules: [{ port: 'hot', expression: 'data.t > 8' }, { port: 'cold', expression: 'data.t < 2' }] },
    };
    const edges = [
      { source: 'src', target: 'r' },
      { source: 'r', sourcePort: 'hot', target: 'a' },
      { source: 'r', sourcePort: 'cold', target: 'b' },
      { source: 'r', sourcePort: 'otherwise', target: 'c' },
    ];
    const graph = graphOf(await compile(flow([timer(), router, debug('a'), debug('b'), debug('c')], edges)));
    expect(graph.nodes.get('r')!.outputs).toEqual(['hot', 'cold', 'otherwise']);
    const ports = graph.outgoing.get('r')!;
    expect([...ports.keys()]).toEqual(['hot', 'cold', 'otherwise']);
    expect(ports.get('cold')).toEqual([{ edgeId: 'e2', target: 'b', targetPort: 'in' }]);

    const wrong = errorsOf(await compile(flow([timer(), router, debug('a')], [{ source: 'src', target: 'r' }, { source: 'r', sourcePort: 'warm', target: 'a' }])));
    expect(wrong).toEqual([
      expect.objectContaining({ code: 'unknown_port', nodeId: 'r', edgeId: 'e1', path: 'edges.1.sourcePort', message: expect.stringMatching(/"warm".*"hot", "cold", "otherwise"/) }),
    ]);
  });

  test('lists every output port of every node in the outgoing map, even unwired ones', async () => {
    const graph = graphOf(await compile(flow([timer(), debug()], [])));
    expect(graph.outgoing.get('src')).toEqual(new Map([['out', []]]));
    expect(graph.outgoing.get('out')).toEqual(new Map());
    expect(graph.incoming.get('out')).toBe(0);
  });

  test('takes a hop limit for the runtime to guard cycles through actors', async () => {
    expect(graphOf(await compile(flow([timer()]), { hopLimit: 10 })).hopLimit).toBe(10);
    await expect(compile(flow([timer()]), { hopLimit: 0 })).rejects.toThrow(RangeError);
  });
});

describe('cycles', () => {
  test('a cycle through an actor is allowed, with a warning naming the hop limit', async () => {
    const result = await compile(flow([timer(), filter('f'), actor('a'), debug()], [...chain('src', 'f', 'a', 'f'), { source: 'a', target: 'out' }]));
    graphOf(result);
    expect(withCode(result.warnings, 'actor_cycle')).toEqual([
      { code: 'actor_cycle', nodeId: 'a', path: '', message: expect.stringMatching(/a → f → a.*64 hops/) },
    ]);
  });

  test('a cycle through processors only is an error on every node of it', async () => {
    const nodes = [timer(), filter('a'), filter('b'), filter('c'), debug()];
    const errors = errorsOf(await compile(flow(nodes, [...chain('src', 'a', 'b', 'c', 'a'), { source: 'c', target: 'out' }])));
    expect(errors.map((e) => [e.code, e.nodeId, e.path, e.edgeId])).toEqual([
      ['cycle', 'a', 'edges.1', 'e1'],
      ['cycle', 'b', 'edges.2', 'e2'],
      ['cycle', 'c', 'edges.3', 'e3'],
    ]);
    for (const e of errors) expect(e.message).toMatch(/"a", "b", "c".*a → b → c → a.*actor/);
  });

  test('a node wired to itself is a cycle', async () => {
    const errors = errorsOf(await compile(flow([timer(), fn('f'), debug()], [...chain('src', 'f', 'out'), { source: 'f', target: 'f' }])));
    expect(errors).toEqual([{ code: 'cycle', nodeId: 'f', edgeId: 'e2', path: 'edges.2', message: expect.stringContaining('"f" is wired to itself') }]);
  });

  test('a loop that avoids the actor is an error even when an actor shares its nodes', async () => {
    // a → b → a avoids the actor; a → b → act → a passes through it.
    const edges = [...chain('src', 'a', 'b', 'a'), ...chain('b', 'act', 'a'), { source: 'b', target: 'out' }];
    const errors = errorsOf(await compile(flow([timer(), filter('a'), filter('b'), actor('act'), debug()], edges)));
    expect(errors.map((e) => [e.code, e.nodeId])).toEqual([
      ['cycle', 'a'],
      ['cycle', 'b'],
    ]);
  });
});

describe('each error code', () => {
  test('invalid_flow: each schema issue of the document, at its path in the flow', async () => {
    const doc = flow([timer(), debug()], chain('src', 'out'), { name: '  ' });
    (doc.nodes[1] as Record<string, unknown>).position = { x: 'left', y: 0 };
    (doc.edges[0] as Record<string, unknown>).targetPort = '';
    const errors = errorsOf(await compile(doc));
    expect(errors).toEqual([
      { code: 'invalid_flow', nodeId: null, path: 'name', message: 'name: a flow needs a name' },
      { code: 'invalid_flow', nodeId: 'out', path: 'nodes.1.position.x', message: expect.stringMatching(/^nodes\.1\.position\.x: .*number/) },
      { code: 'invalid_flow', nodeId: null, edgeId: 'e0', path: 'edges.0.targetPort', message: expect.stringMatching(/^edges\.0\.targetPort: /) },
    ]);
  });

  test('invalid_flow: a document that is not an object', async () => {
    const errors = errorsOf(await compile('not a flow'));
    expect(errors).toEqual([{ code: 'invalid_flow', nodeId: null, path: '', message: expect.stringMatching(/^the flow: .*object/) }]);
  });

  test('duplicate_node_id: on the second node with the id', async () => {
    const errors = errorsOf(await compile(flow([timer(), filter('f'), filter('f'), debug()], chain('src', 'f', 'out'))));
    expect(errors).toEqual([
      { code: 'duplicate_node_id', nodeId: 'f', path: 'nodes.2.id', message: 'node id "f" is used by nodes 1 and 2; node ids must be unique' },
    ]);
  });

  test('duplicate_edge_id: on the second edge with the id', async () => {
    const errors = errorsOf(await compile(flow([timer(), filter('f'), debug()], [{ id: 'x', source: 'src', target: 'f' }, { id: 'x', source: 'f', target: 'out' }])));
    expect(errors).toEqual([
      { code: 'duplicate_edge_id', nodeId: null, edgeId: 'x', path: 'edges.1.id', message: 'edge id "x" is used by edges 0 and 1; edge ids must be unique' },
    ]);
  });

  test('unknown_node_type: at the node type, listing the known types', async () => {
    const errors = errorsOf(await compile(flow([timer(), { id: 'q', type: 'kafka' }], chain('src', 'q'))));
    expect(errors).toEqual([{ code: 'unknown_node_type', nodeId: 'q', path: 'type', message: expect.stringMatching(/"kafka".*http, mqtt, timer/) }]);
  });

  test('invalid_config: one problem per schema issue, at its path under config', async () => {
    const mqtt: NodeSpec = { id: 'm', type: 'mqtt', config: { qos: 3, url: 'ftp://x' } };
    const router: NodeSpec = { id: 'r', type: 'router', config: { rules: [{ port: 'bad port', expression: 'true' }] } };
    const errors = errorsOf(await compile(flow([mqtt, router, debug()], [...chain('m', 'r'), { source: 'r', sourcePort: 'otherwise', target: 'out' }])));
    expect(errors.map((e) => [e.code, e.nodeId, e.path])).toEqual([
      ['invalid_config', 'm', 'config.url'],
      ['invalid_config', 'm', 'config.topic'],
      ['invalid_config', 'm', 'config.qos'],
      ['invalid_config', 'r', 'config.rules.0.port'],
    ]);
    expect(errors[0]!.message).toBe('mqtt config.url: an MQTT URL such as mqtt://127.0.0.1:1883');
    expect(errors[1]!.message).toBe('mqtt config.topic: is required (string)');
    expect(errors[3]!.message).toBe('router config.rules.0.port: letters, digits, _ and -');
  });

  test('missing_node: at the missing end, marking the node that exists', async () => {
    const errors = errorsOf(await compile(flow([timer(), debug()], [{ source: 'src', target: 'gone' }, { source: 'ghost', target: 'out' }, { source: 'a', target: 'b' }])));
    expect(errors).toEqual([
      { code: 'missing_node', nodeId: 'src', edgeId: 'e0', path: 'edges.0.target', message: 'edge "e0" goes to node "gone", which is not in the flow' },
      { code: 'missing_node', nodeId: 'out', edgeId: 'e1', path: 'edges.1.source', message: 'edge "e1" comes from node "ghost", which is not in the flow' },
      { code: 'missing_node', nodeId: null, edgeId: 'e2', path: 'edges.2.source', message: expect.stringContaining('"a"') },
      { code: 'missing_node', nodeId: null, edgeId: 'e2', path: 'edges.2.target', message: expect.stringContaining('"b"') },
    ]);
  });

  test('unknown_port: out of a sink, into a source, or a port the node does not have', async () => {
    const edges = [
      { source: 'src', target: 'f' },
      { source: 'f', target: 'out' },
      { source: 'out', target: 'f' },
      { source: 'f', target: 'src' },
      { source: 'f', sourcePort: 'out', target: 'out', targetPort: 'left' },
    ];
    const errors = errorsOf(await compile(flow([timer(), filter('f'), debug()], edges)));
    expect(errors).toEqual([
      { code: 'unknown_port', nodeId: 'out', edgeId: 'e2', path: 'edges.2.sourcePort', message: 'edge "e2": node "out" (debug) has no output port "out"; a sink has no outputs' },
      { code: 'unknown_port', nodeId: 'src', edgeId: 'e3', path: 'edges.3.targetPort', message: 'edge "e3": node "src" (timer) has no input port "in"; a source has no inputs' },
      { code: 'unknown_port', nodeId: 'out', edgeId: 'e4', path: 'edges.4.targetPort', message: 'edge "e4": node "out" (debug) has no input port "left"; its inputs are "in"' },
    ]);
  });

  test('jsonata_syntax: names the field and the position of the error', async () => {
    const router: NodeSpec = { id: 'r', type: 'router', config: { rules: [{ port: 'a', expression: 'true' }, { port: 'b', expression: 'data.t >' }] } };
    const errors = errorsOf(await compile(flow([timer(), router, { id: 'd', type: 'dedupe', config: { key: '$x := (' } }, debug()], [...chain('src', 'r'), { source: 'r', sourcePort: 'a', target: 'd' }, ...chain('d', 'out')])));
    expect(errors).toEqual([
      { code: 'jsonata_syntax', nodeId: 'r', path: 'config.rules.1.expression', message: 'config.rules.1.expression: JSONata syntax error at position 8 (S0207): Unexpected end of expression', at: { line: 1, column: 9 } },
      { code: 'jsonata_syntax', nodeId: 'd', path: 'config.key', message: expect.stringMatching(/^config\.key: JSONata syntax error at position \d+ \(S\d+\): \S/), at: { line: 1, column: expect.any(Number) } },
    ]);
  });

  test('jsonata_syntax: gives line and column in a multi-line expression', async () => {
    const errors = errorsOf(await compile(flow([timer(), { id: 't', type: 'transform', config: { expression: '{\n  "a": data.t,\n  "b": }' } }], chain('src', 't'))));
    expect(errors).toEqual([expect.objectContaining({ code: 'jsonata_syntax', nodeId: 't', message: expect.stringContaining('(line 3, column 8)'), at: { line: 3, column: 8 } })]);
  });

  test('script_syntax: a function body or actor reducer that does not parse', async () => {
    const errors = errorsOf(
      await compile(flow([timer(), fn('f', 0, 'return {type: "x",'), { id: 'a', type: 'actor', config: { reducer: 'return state +;' } }], chain('src', 'f', 'a'))),
    );
    expect(errors).toEqual([
      { code: 'script_syntax', nodeId: 'f', path: 'config.code', message: expect.stringMatching(/^config\.code: JavaScript syntax error.*: \S/), at: expect.objectContaining({ line: 1 }) },
      { code: 'script_syntax', nodeId: 'a', path: 'config.reducer', message: expect.stringMatching(/^config\.reducer: JavaScript syntax error.*: \S/), at: { line: 1, column: 15 } },
    ]);
  });

  test('script_syntax: reports the line and column the checker finds, with the parameters of the body', async () => {
    const seen: [string, string[]][] = [];
    const checkScript = async (source: string, params: string[]) => {
      seen.push([source, params]);
      return source.includes('oops') ? { line: 2, column: 5, message: 'Unexpected identifier' } : null;
    };
    const errors = errorsOf(await compile(flow([timer(), fn('f', 0, 'const a = 1;\nlet oops'), actor('a')], chain('src', 'f', 'a')), { checkScript }));
    expect(seen).toEqual([
      ['const a = 1;\nlet oops', ['event']],
      ['return {state, emit: []}', ['state', 'event']],
    ]);
    expect(errors).toEqual([
      { code: 'script_syntax', nodeId: 'f', path: 'config.code', message: 'config.code: JavaScript syntax error at line 2, column 5: Unexpected identifier', at: { line: 2, column: 5 } },
    ]);
  });

  test('no_source: a flow without a source node', async () => {
    const errors = errorsOf(await compile(flow([filter('f'), debug()], chain('f', 'out'))));
    expect(errors).toEqual([{ code: 'no_source', nodeId: null, path: 'nodes', message: expect.stringMatching(/no source node/) }]);
    expect(withCode(errorsOf(await compile(flow([]))), 'no_source')).toHaveLength(1);
  });

  test('too_many_handlers: a port wired to more nodes than the server allows (maxHandlersPerPort)', async () => {
    const handlers = ['a', 'b', 'c', 'd'].map((id) => fn(id));
    const doc = flow([timer(), ...handlers], handlers.map((h) => ({ source: 'src', target: h.id })));
    expect((await compile(doc)).ok).toBe(true);
    expect((await compile(doc, { maxHandlersPerPort: 4 })).ok).toBe(true);
    expect(errorsOf(await compile(doc, { maxHandlersPerPort: 2 }))).toEqual([
      {
        code: 'too_many_handlers',
        nodeId: 'src',
        edgeId: 'e2',
        path: 'edges.2',
        message: 'port "out" of node "src" is wired to 4 nodes; this server delivers one port\'s events to at most 2 (bus.maxHandlersPerPort): remove 2 of its wires, or route them through another node',
      },
    ]);
    // Each port counts its own wires, and an edge drawn twice is one wire.
    const router = { id: 'r', type: 'router', config: { rules: [{ port: 'hot', expression: 'data.t > 8' }] } };
    const split = flow([timer(), router, fn('a'), fn('b'), fn('c')], [
      { source: 'src', target: 'r' },
      { source: 'r', sourcePort: 'hot', target: 'a' },
      { source: 'r', sourcePort: 'hot', target: 'a' },
      { source: 'r', sourcePort: 'hot', target: 'b' },
      { source: 'r', sourcePort: 'otherwise', target: 'c' },
    ]);
    expect((await compile(split, { maxHandlersPerPort: 2 })).ok).toBe(true);
    expect(withCode(errorsOf(await compile(split, { maxHandlersPerPort: 1 })), 'too_many_handlers').map((e) => [e.nodeId, e.edgeId])).toEqual([['r', 'e3']]);
  });

  test('every error code has a test above', () => {
    expect([...ERROR_CODES].sort()).toEqual(
      ['cycle', 'duplicate_edge_id', 'duplicate_node_id', 'invalid_config', 'invalid_flow', 'jsonata_syntax', 'missing_node', 'no_source', 'script_syntax', 'too_many_handlers', 'unknown_node_type', 'unknown_port', 'unknown_subflow', 'subflow_cycle', 'subflow_too_large'].sort(),
    );
  });
});

describe('warnings', () => {
  test('unreachable: a node wired only from nodes no source leads to', async () => {
    const result = await compile(flow([timer(), debug(), filter('island'), debug('island-out')], [...chain('src', 'out'), ...chain('island', 'island-out')]));
    graphOf(result);
    expect(withCode(result.warnings, 'unreachable')).toEqual([
      { code: 'unreachable', nodeId: 'island-out', path: '', message: 'no source leads to debug node "island-out": it will never receive an event' },
    ]);
    expect(withCode(result.warnings, 'unconnected_input')).toEqual([
      { code: 'unconnected_input', nodeId: 'island', path: '', message: 'nothing is wired into filter node "island": it will never receive an event' },
    ]);
  });

  test('unconnected_output: a node whose events go nowhere', async () => {
    const result = await compile(flow([timer(), filter('f'), fn('g')], [...chain('src', 'f'), ...chain('src', 'g')]));
    expect(withCode(result.warnings, 'unconnected_output').map((w) => [w.nodeId, w.message])).toEqual([
      ['f', 'nothing is wired from filter node "f": the events it passes go nowhere'],
      ['g', 'nothing is wired from function node "g": its events are stored but reach no other node'],
    ]);
  });

  test('duplicate_edge: the same ports joined twice compile to one wire', async () => {
    const result = await compile(flow([timer(), debug()], [{ source: 'src', target: 'out' }, { source: 'src', target: 'out' }]));
    expect(graphOf(result).outgoing.get('src')!.get('out')).toHaveLength(1);
    expect(result.warnings).toEqual([
      { code: 'duplicate_edge', nodeId: 'src', edgeId: 'e1', path: 'edges.1', message: 'edge "e1" repeats edge 0 (src:out → out:in); it is ignored, events go once' },
    ]);
  });

  test('unknown_config_field: a field the node type does not have', async () => {
    const result = await compile(flow([timer(), { id: 'f', type: 'filter', config: { expression: 'true', expresion: 'x' } }, debug()], chain('src', 'f', 'out')));
    expect(result.warnings).toEqual([
      { code: 'unknown_config_field', nodeId: 'f', path: 'config.expresion', message: 'filter has no config field "expresion" (it is ignored); fields: expression' },
    ]);
  });

  test('every warning code is stable', () => {
    expect(WARNING_CODES).toEqual(['duplicate_edge', 'unreachable', 'unconnected_input', 'unconnected_output', 'unknown_config_field', 'actor_cycle', 'actor_key_spans_partitions']);
  });
});

describe('reporting every problem at once', () => {
  test('a flow with many problems reports them all together', async () => {
    const nodes: NodeSpec[] = [
      { id: 'q', type: 'kafka' },
      filter('f', 'data.t >'),
      filter('f'),
      { id: 'm', type: 'mqtt-publish', config: { topic: 'a/#' } },
      fn('g', 0, 'return {'),
      filter('loop'),
    ];
    const edges = [
      { source: 'q', target: 'f' },
      { source: 'f', target: 'nowhere' },
      { source: 'm', target: 'g' },
      { id: 'e0', source: 'f', target: 'g' },
      { source: 'loop', target: 'loop' },
      { source: 'g', target: 'm' },
    ];
    const result = await compile(flow(nodes, edges));
    expect(errorsOf(result).map((e) => [e.code, e.nodeId, e.path])).toEqual([
      ['unknown_node_type', 'q', 'type'],
      ['duplicate_node_id', 'f', 'nodes.2.id'],
      ['invalid_config', 'm', 'config.topic'],
      ['missing_node', 'f', 'edges.1.target'],
      ['unknown_port', 'm', 'edges.2.sourcePort'],
      ['duplicate_edge_id', null, 'edges.3.id'],
      ['cycle', 'loop', 'edges.4'],
      ['jsonata_syntax', 'f', 'config.expression'],
      ['script_syntax', 'g', 'config.code'],
    ]);
  });

  test('a document that fails the schema still has its nodes and edges checked', async () => {
    const doc = flow([timer(), filter('f', '(('), { id: 'bad id!', type: 'debug' }, debug()], [...chain('src', 'f', 'bad id!'), { source: 'f', target: 'out', sourcePort: 'yes' }]);
    const result = await compile(doc);
    expect(errorsOf(result).map((e) => [e.code, e.nodeId, e.path])).toEqual([
      ['invalid_flow', 'bad id!', 'nodes.2.id'],
      ['invalid_flow', null, 'edges.1.target'],
      ['unknown_port', 'f', 'edges.2.sourcePort'],
      ['jsonata_syntax', 'f', 'config.expression'],
    ]);
  });
});

describe('the answers of compile and validateFlow', () => {
  test('validateFlow answers ok with warnings, or every error', async () => {
    expect(await validateFlow(flow([timer(), debug()], chain('src', 'out')))).toEqual({ ok: true, errors: [], warnings: [] });
    const bad = await validateFlow(flow([filter('f', '')]));
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => [e.code, e.nodeId, e.path])).toEqual([
      ['invalid_config', 'f', 'config.expression'],
      ['no_source', null, 'nodes'],
    ]);
    expect(bad.warnings.map((w) => w.code)).toEqual(['unconnected_input', 'unconnected_output']);
    expect(JSON.parse(JSON.stringify(bad))).toEqual(bad);
  });

  test('compile gives every error of a flow that does not compile, and the graph of one that does', async () => {
    const errors = errorsOf(await compile(flow([])));
    expect(errors.map((e) => e.code)).toEqual(['no_source']);
    expect(errors[0]!.message).toMatch(/no source node/);
    expect(graphOf(await compile(flow([timer()]))).sources).toEqual(['src']);
  });
});

describe('the server\'s node defaults', () => {
  test('fill the fields a node\'s config leaves out, before its type\'s own defaults; a field the node sets wins', async () => {
    const nodeDefaults = { actor: { strategy: 'stop', timeoutMs: 500 } };
    const doc = flow([timer(), actor('plain'), { id: 'own', type: 'actor', config: { reducer: 'return {state, emit: []}', strategy: 'resume' } }, fn('f')], [
      { source: 'src', target: 'plain' },
      { source: 'src', target: 'own' },
      { source: 'src', target: 'f' },
    ]);
    const graph = graphOf(await compile(doc, { nodeDefaults }));
    expect(graph.nodes.get('plain')!.config).toMatchObject({ strategy: 'stop', timeoutMs: 500, snapshotEvery: 100 });
    expect(graph.nodes.get('own')!.config).toMatchObject({ strategy: 'resume', timeoutMs: 500 });
    expect(graph.nodes.get('f')!.config).toMatchObject({ timeoutMs: 50 });
    expect(graphOf(await compile(doc)).nodes.get('plain')!.config).toMatchObject({ strategy: 'restart', timeoutMs: 100 });
  });
});
