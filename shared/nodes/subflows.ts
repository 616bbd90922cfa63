/**
 * Reuse and links. A subflow is a flow whose id starts with `sf-` (SUBFLOW_PREFIX): its `subflow-in` node is the
 * input port of every instance and each `subflow-out` node names an output port. A `subflow` node is an instance of
 * one, placed in any flow; the compiler expands it into the flow's graph (server/compiler/subflows.ts). `link-out`
 * appends what reaches it to the stream `link/<name>`; a `link-in` of the same name, in any flow, takes those
 * events in: flows joined through the store, as every event moves.
 */
import { z } from 'zod';
import { defineNode } from './define.js';

export const SUBFLOW_PREFIX = 'sf-';
export const isSubflowId = (id: string): boolean => id.startsWith(SUBFLOW_PREFIX);

/** The stream a link's events are appended to. */
export const linkStream = (link: string): string => `link/${link}`;

const portName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');
const linkName = z.string().min(1, 'a link needs a name').max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const subflowNode = defineNode({
  type: 'subflow',
  kind: 'processor',
  behaviour: 'forward',
  inputs: ['in'],
  config: z.object({
    subflow: z.string().regex(/^sf-[A-Za-z0-9_.:-]+$/, 'the id of a subflow (sf-…)').meta({ description: 'The subflow this node runs: its latest revision.' }),
    outputs: z.array(portName).max(32).default(['out']).meta({ description: "The instance's output ports: the subflow's subflow-out ports." }),
  }),
  // Read from a config that may not have parsed (the palette asks with none): `out` until the ports are named.
  outputs: (config) => (Array.isArray(config.outputs) ? config.outputs : ['out']),
  palette: { label: 'Subflow', help: 'Runs a subflow (sf-…) here: its latest revision, expanded into this flow when deployed.' },
});

export const subflowIn = defineNode({
  type: 'subflow-in',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({}),
  palette: { label: 'Subflow in', help: "Inside a subflow: what reaches the instance's input port enters here." },
});

export const subflowOut = defineNode({
  type: 'subflow-out',
  kind: 'sink',
  behaviour: 'consume',
  inputs: ['in'],
  outputs: () => [],
  config: z.object({ port: portName.default('out') }),
  palette: { label: 'Subflow out', help: "Inside a subflow: what reaches it leaves the instance by the output port it names." },
});

export const linkOut = defineNode({
  type: 'link-out',
  kind: 'sink',
  behaviour: 'emit',
  inputs: ['in'],
  outputs: () => [],
  config: z.object({ link: linkName }),
  palette: { label: 'Link out', help: 'Appends each event to the stream link/<name>: every link-in of that name, in any flow, takes it in.' },
});

export const linkIn = defineNode({
  type: 'link-in',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({ link: linkName }),
  palette: { label: 'Link in', help: 'Takes in the events link-out nodes of the same name append, from any flow.' },
});
