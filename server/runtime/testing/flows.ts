/** Test flows: a flow document from nodes and wires, its compiled graph, and the readings most tests publish. */
import type { FlowDraft, FlowEdge, FlowNode } from '../../../shared/flow.js';
import { compile, type RuntimeGraph } from '../../compiler/compile.js';
import { graphOf as compiledGraphOf } from '../../compiler/testing/flows.js';
import type { PublishInput } from '../stamp.js';

let flowSeq = 0;

/** A flow of `nodes` (defaults filled in: process `main`, empty config) and wires `[source, target, port?]`. */
export function flowOf(nodes: Partial<FlowNode>[], wires: [string, string, string?][]): FlowDraft & { id: string } {
  return {
    id: `f-test-${++flowSeq}`,
    name: 'test',
    description: '',
    nodes: nodes.map((n) => ({ name: '', process: 'main', position: { x: 0, y: 0 }, config: {}, ...n }) as FlowNode),
    edges: wires.map(([source, target, port], i): FlowEdge => ({ id: `e${i + 1}`, source, sourcePort: port ?? 'out', target, targetPort: 'in' })),
  };
}

/** The compiled graph of `flowOf(nodes, wires)`. */
export async function graphOf(nodes: Partial<FlowNode>[], wires: [string, string, string?][], hopLimit?: number): Promise<RuntimeGraph> {
  return compiledGraphOf(await compile(flowOf(nodes, wires), hopLimit ? { hopLimit } : {}));
}

/** http in → transform `conv`, which derives `reading.converted` events with `expression`. */
export const httpToTransform = (expression: string) =>
  flowOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'conv', type: 'transform', config: { expression, type: 'reading.converted' } },
    ],
    [['in', 'conv']],
  );

/** http in → function `fn` running `code` on every reading. */
export const httpToFunction = (code: string, config: Record<string, unknown> = {}) =>
  flowOf(
    [
      { id: 'in', type: 'http', config: { types: ['reading.*'] } },
      { id: 'fn', type: 'function', config: { code, ...config } },
    ],
    [['in', 'fn']],
  );

export const reading = (t: number, extra: Record<string, unknown> = {}): PublishInput => ({ type: 'reading.recorded', source: 'test://sensor', data: { t, ...extra } });
