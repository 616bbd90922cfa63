/** Small builders for flow documents in the compiler's tests. */
import type { CompileProblem, CompileResult, RuntimeGraph } from '../compile.js';

export interface NodeSpec {
  id: string;
  type: string;
  config?: Record<string, unknown>;
  name?: string;
  process?: string;
}

export interface EdgeSpec {
  id?: string;
  source: string;
  target: string;
  sourcePort?: string;
  targetPort?: string;
}

/** A flow document as a client sends it; edges get ids `e0`, `e1` … unless given. */
export function flow(nodes: NodeSpec[], edges: EdgeSpec[] = [], extra: Record<string, unknown> = {}) {
  return {
    name: 'test flow',
    nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, ...n, config: n.config ?? {} })),
    edges: edges.map((e, i) => ({ id: e.id ?? `e${i}`, sourcePort: 'out', targetPort: 'in', ...e })),
    ...extra,
  };
}

/** `a -> b -> c` as edges. */
export const chain = (...ids: string[]): EdgeSpec[] => ids.slice(1).map((target, i) => ({ source: ids[i]!, target }));

export const timer = (id = 'src'): NodeSpec => ({ id, type: 'timer' });
export const filter = (id: string, expression = 'data.t > 8'): NodeSpec => ({ id, type: 'filter', config: { expression } });
export const debug = (id = 'out'): NodeSpec => ({ id, type: 'debug' });
export const fn = (id: string, priority?: number, code = 'return {type: "x", data: event.data}'): NodeSpec => ({
  id,
  type: 'function',
  config: priority === undefined ? { code } : { code, priority },
});
export const actor = (id: string): NodeSpec => ({ id, type: 'actor', config: { reducer: 'return {state, emit: []}' } });

export function errorsOf(result: CompileResult): CompileProblem[] {
  if (result.ok) throw new Error(`expected the flow not to compile; warnings: ${JSON.stringify(result.warnings)}`);
  return result.errors;
}

export function graphOf(result: CompileResult): RuntimeGraph {
  if (!result.ok) throw new Error(`expected the flow to compile, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.graph;
}

export const withCode = (problems: CompileProblem[], code: string) => problems.filter((p) => p.code === code);
