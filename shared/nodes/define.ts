import type { z } from 'zod';

export const NODE_KINDS = ['source', 'processor', 'handler', 'actor', 'sink'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const KIND_COLOURS: Record<NodeKind, string> = {
  source: '#2563eb',
  processor: '#7c3aed',
  handler: '#d97706',
  actor: '#059669',
  sink: '#dc2626',
};

/** A piece of user code inside a config, for the compiler to parse and the editor to highlight. */
export interface CodeField {
  path: (string | number)[];
  language: 'jsonata' | 'javascript';
  source: string;
  /** For JavaScript: the parameter names the body is wrapped in (`function (event) { … }`). */
  params?: string[];
}

/**
 * How a node treats its input: `forward` passes the same event on (filter, router …), `emit` appends derived
 * events (transform, function, actor …), `consume` only has an effect (debug, publish), `produce` makes new
 * events from outside (sources).
 */
export const BEHAVIOURS = ['produce', 'forward', 'emit', 'consume'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export interface NodeTypeDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  kind: NodeKind;
  behaviour: Behaviour;
  config: S;
  inputs: readonly string[];
  /** Output ports; may depend on the config (a router's rules). */
  outputs: (config: z.output<S>) => string[];
  code: (config: z.output<S>) => CodeField[];
  palette: { label: string; colour: string; help: string };
}

export function defineNode<S extends z.ZodType>(
  def: Omit<NodeTypeDefinition<S>, 'outputs' | 'code' | 'palette'> & {
    outputs?: NodeTypeDefinition<S>['outputs'];
    code?: NodeTypeDefinition<S>['code'];
    palette: { label: string; help: string; colour?: string };
  },
): NodeTypeDefinition<S> {
  return {
    ...def,
    outputs: def.outputs ?? (() => ['out']),
    code: def.code ?? (() => []),
    palette: { colour: KIND_COLOURS[def.kind], ...def.palette },
  };
}
