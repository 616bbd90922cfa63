import { describe, expect, test } from 'vitest';
import { compile, ERROR_CODES, type CompileResult, type RuntimeGraph } from './compile.js';
import { chain, debug, filter, flow, timer } from './testing/flows.js';

/** sf-clean: in → filter (warm) → router-free split: warm → out "kept"; in → out "all" directly. */
const clean = flow(
  [
    { id: 'in', type: 'subflow-in' },
    filter('warm', 'data.t > 1'),
    { id: 'kept', type: 'subflow-out', config: { port: 'kept' } },
    { id: 'all', type: 'subflow-out', config: { port: 'all' } },
  ],
  [
    { id: 'w1', source: 'in', target: 'warm' },
    { id: 'w2', source: 'warm', target: 'kept' },
    { id: 'w3', source: 'in', target: 'all' },
  ],
);
/** sf-outer: in → an instance of sf-clean → out. */
const outer = flow(
  [{ id: 'in', type: 'subflow-in' }, { id: 'c', type: 'subflow', config: { subflow: 'sf-clean', outputs: ['kept', 'all'] } }, { id: 'out', type: 'subflow-out' }],
  [
    { id: 'o1', source: 'in', target: 'c' },
    { id: 'o2', source: 'c', sourcePort: 'kept', target: 'out' },
  ],
);
const loop = flow([{ id: 'in', type: 'subflow-in' }, { id: 'me', type: 'subflow', config: { subflow: 'sf-loop' } }], [{ source: 'in', target: 'me' }]);
const broken = flow([{ id: 'in', type: 'subflow-in' }, filter('bad', 'data.t >'), { id: 'out', type: 'subflow-out' }], chain('in', 'bad', 'out'));

const subflows: Record<string, ReturnType<typeof flow>> = { 'sf-clean': clean, 'sf-outer': outer, 'sf-loop': loop, 'sf-broken': broken };
const loadSubflow = async (id: string) => (subflows[id] as never) ?? null;

const instance = (id: string, subflow: string, outputs = ['kept', 'all']) => ({ id, type: 'subflow', name: id.toUpperCase(), process: 'edge-1', config: { subflow, outputs } });

/** timer → A (sf-clean) —kept→ hot, —all→ every. */
const user = flow(
  [timer(), instance('a', 'sf-clean'), debug('hot'), debug('every')],
  [
    { id: 'e1', source: 'src', target: 'a' },
    { id: 'e2', source: 'a', sourcePort: 'kept', target: 'hot' },
    { id: 'e3', source: 'a', sourcePort: 'all', target: 'every' },
  ],
  { id: 'f-user', revision: 1 },
);

const graphOf = (result: CompileResult): RuntimeGraph => {
  if (!result.ok) throw new Error(`did not compile: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.graph;
};
const wiresOf = (graph: RuntimeGraph) =>
  [...graph.outgoing].flatMap(([source, ports]) => [...ports].flatMap(([port, wires]) => wires.map((w) => `${w.edgeId}: ${source}:${port} → ${w.target}:${w.targetPort}`))).sort();

describe('subflow expansion', () => {
  test('replaces an instance by its nodes under namespaced ids, wired through its ports, on its process', async () => {
    const graph = graphOf(await compile(user, { loadSubflow }));
    expect([...graph.nodes.keys()]).toEqual(['src', 'a.warm', 'hot', 'every']);
    expect(graph.nodes.get('a.warm')).toMatchObject({ type: 'filter', process: 'edge-1', name: 'A › warm' });
    expect(wiresOf(graph)).toEqual(['a.w1:e1: src:out → a.warm:in', 'a.w2:e2: a.warm:out → hot:in', 'a.w3:e1:e3: src:out → every:in']);
  });

  test('gives the same ids on every compile, and distinct ids to two instances of one subflow', async () => {
    const twice = flow(
      [timer(), instance('a', 'sf-clean', ['kept']), instance('b', 'sf-clean', ['kept']), debug()],
      [{ source: 'src', target: 'a' }, { source: 'src', target: 'b' }, { source: 'a', sourcePort: 'kept', target: 'out' }, { source: 'b', sourcePort: 'kept', target: 'out' }],
    );
    const first = graphOf(await compile(twice, { loadSubflow }));
    const again = graphOf(await compile(twice, { loadSubflow }));
    expect([...first.nodes.keys()]).toEqual(['src', 'a.warm', 'b.warm', 'out']);
    expect(wiresOf(again)).toEqual(wiresOf(first));
  });

  test('expands subflows inside subflows', async () => {
    const nested = flow([timer(), instance('x', 'sf-outer', ['out']), debug()], [{ source: 'src', target: 'x' }, { source: 'x', target: 'out' }]);
    const graph = graphOf(await compile(nested, { loadSubflow }));
    expect([...graph.nodes.keys()]).toEqual(['src', 'x.c.warm', 'out']);
    expect(wiresOf(graph).map((w) => w.split(': ')[1])).toEqual(['src:out → x.c.warm:in', 'x.c.warm:out → out:in']);
  });

  test('describes each instance of the flow by what it became: its nodes, those its input feeds, those feeding its outputs', async () => {
    // sf-two: in → first → second → out, and in → side (a node that leads nowhere).
    const two = flow(
      [{ id: 'in', type: 'subflow-in' }, filter('first', 'true'), filter('second', 'true'), filter('side', 'true'), { id: 'out', type: 'subflow-out' }],
      [...chain('in', 'first', 'second', 'out'), { source: 'in', target: 'side' }],
    );
    const load = async (id: string) => (({ ...subflows, 'sf-two': two }) as Record<string, unknown>)[id] as never;
    // `b` has nothing wired to it: what it would count is known all the same.
    const drawn = flow(
      [timer(), instance('a', 'sf-two', ['out']), instance('b', 'sf-two', ['out']), instance('x', 'sf-outer', ['out']), debug()],
      [{ source: 'src', target: 'a' }, { source: 'a', target: 'out' }, { source: 'src', target: 'x' }],
    );
    const graph = graphOf(await compile(drawn, { loadSubflow: load }));
    expect(Object.fromEntries(graph.instances)).toEqual({
      a: { nodes: ['a.first', 'a.second', 'a.side'], entries: ['a.first', 'a.side'], exits: ['a.second'] },
      b: { nodes: ['b.first', 'b.second', 'b.side'], entries: ['b.first', 'b.side'], exits: ['b.second'] },
      // Nested: the instance inside sf-outer is part of x, and its nodes are x's entries and exits.
      x: { nodes: ['x.c.warm'], entries: ['x.c.warm'], exits: ['x.c.warm'] },
    });
    expect(graphOf(await compile(flow([timer(), debug()], chain('src', 'out')))).instances.size).toBe(0);
  });

  test('refuses an unknown subflow, one that uses itself, a port the subflow lacks, and any subflow without a loader', async () => {
    const missing = await compile(flow([timer(), instance('a', 'sf-none', ['out']), debug()], chain('src', 'a', 'out')), { loadSubflow });
    expect(missing.ok ? [] : missing.errors.map((e) => [e.code, e.nodeId, e.message])).toEqual([['unknown_subflow', 'a', 'subflow node "a": there is no subflow "sf-none"']]);

    const cycle = await compile(flow([timer(), instance('a', 'sf-loop', [])], chain('src', 'a')), { loadSubflow });
    expect(cycle.ok ? [] : cycle.errors.map((e) => [e.code, e.nodeId])).toEqual([['subflow_cycle', 'a']]);

    const port = await compile(flow([timer(), instance('a', 'sf-clean', ['nope']), debug()], [{ source: 'src', target: 'a' }, { source: 'a', sourcePort: 'nope', target: 'out' }]), { loadSubflow });
    expect(port.ok ? [] : port.errors.map((e) => [e.code, e.nodeId])).toContainEqual(['unknown_port', 'a']);

    const unloaded = await compile(user);
    expect(unloaded.ok ? [] : unloaded.errors.map((e) => e.code)).toEqual(['unknown_subflow']);
    expect(ERROR_CODES).toEqual(expect.arrayContaining(['unknown_subflow', 'subflow_cycle']));
  });

  test('refuses subflows whose instances multiply past the node limit, before building any of them', async () => {
    // 80 instances of a subflow of 80 filters: 6,400 nodes once expanded.
    const leaf = flow([{ id: 'in', type: 'subflow-in' }, ...Array.from({ length: 80 }, (_, i) => filter(`f${i}`, 'true'))], []);
    const wide = flow([{ id: 'in', type: 'subflow-in' }, ...Array.from({ length: 80 }, (_, i) => ({ id: `i${i}`, type: 'subflow', config: { subflow: 'sf-leaf', outputs: [] } }))], []);
    const load = async (id: string) => (({ 'sf-leaf': leaf, 'sf-wide': wide }) as Record<string, unknown>)[id] as never;
    const result = await compile(flow([timer(), instance('a', 'sf-wide', [])], chain('src', 'a')), { loadSubflow: load });
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.nodeId])).toEqual([['subflow_too_large', 'a']]);
  });

  test('reports a problem inside the subflow on the instance, naming the subflow and its node', async () => {
    const result = await compile(flow([timer(), instance('a', 'sf-broken', ['out']), debug()], chain('src', 'a', 'out')), { loadSubflow });
    expect(result.ok).toBe(false);
    const [error] = result.ok ? [] : result.errors;
    expect(error).toMatchObject({ code: 'jsonata_syntax', nodeId: 'a', path: 'config.subflow' });
    expect(error?.message).toMatch(/^in subflow "sf-broken", node "bad": /);
  });
});
