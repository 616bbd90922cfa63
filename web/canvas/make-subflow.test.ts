import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../shared/flow.js';
import { extractSubflow, subflowPorts } from './make-subflow.js';

const node = (id: string, x = 0, type = 'filter'): FlowNode => ({ id, type, name: id, process: 'main', position: { x, y: 0 }, config: {} });
const wire = (id: string, source: string, target: string, sourcePort = 'out'): FlowEdge => ({ id, source, sourcePort, target, targetPort: 'in' });

// src → a → b → sink, and b → other
const nodes = [node('src', 0, 'http'), node('a', 200), node('b', 400), node('sink', 600, 'debug'), node('other', 600, 'debug')];
const edges = [wire('e1', 'src', 'a'), wire('e2', 'a', 'b'), wire('e3', 'b', 'sink'), wire('e4', 'b', 'other')];

describe('making a subflow of selected nodes', () => {
  it('moves the selection and its inner wires into the subflow, with port nodes where wires crossed', () => {
    const x = extractSubflow(nodes, edges, ['a', 'b'], 'sf-1', 'Clean')!;
    expect(x.subflow.nodes.map((n) => `${n.id}:${n.type}`)).toEqual(['in1:subflow-in', 'a:filter', 'b:filter', 'out1:subflow-out']);
    expect(x.subflow.edges.map((e) => `${e.source}→${e.target}`)).toEqual(['a→b', 'in1→a', 'b→out1']);
    expect(x.subflow.nodes.find((n) => n.id === 'out1')?.config).toEqual({ port: 'out' });
  });

  it('puts one instance in their place, wired as the selection was, one output port per selected output', () => {
    const x = extractSubflow(nodes, edges, ['a', 'b'], 'sf-1', 'Clean')!;
    expect(x.instance).toMatchObject({ id: 'n1', type: 'subflow', name: 'Clean', position: { x: 200, y: 0 }, config: { subflow: 'sf-1', outputs: ['out'] } });
    expect(x.nodes.map((n) => n.id)).toEqual(['src', 'sink', 'other', 'n1']);
    expect(x.edges.map((e) => `${e.id}: ${e.source}:${e.sourcePort}→${e.target}:${e.targetPort}`)).toEqual([
      'e1: src:out→n1:in',
      'e3: n1:out→sink:in',
      'e4: n1:out→other:in',
    ]);
  });

  it('gives distinct selected outputs distinct ports', () => {
    const x = extractSubflow(nodes, edges, ['a'], 'sf-2', 'A')!;
    expect(x.instance.config.outputs).toEqual(['out']);
    const y = extractSubflow([...nodes, node('c', 400)], [...edges, wire('e5', 'src', 'c'), wire('e6', 'c', 'sink')], ['b', 'c'], 'sf-3', 'BC')!;
    expect(y.instance.config.outputs).toEqual(['out', 'out2']);
    expect(subflowPorts(y.subflow.nodes)).toEqual(['out', 'out2']);
    expect(y.edges.filter((e) => e.source === y.instance.id).map((e) => `${e.sourcePort}→${e.target}`)).toEqual(['out→sink', 'out→other', 'out2→sink']);
  });

  it('makes nothing of an empty selection', () => {
    expect(extractSubflow(nodes, edges, [], 'sf-1', 'x')).toBeNull();
  });
});
