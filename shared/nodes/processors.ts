import { z } from 'zod';
import { defineNode } from './define.js';
import { eventType, jsonata, milliseconds } from './fields.js';

export const filterNode = defineNode({
  type: 'filter',
  kind: 'processor',
  behaviour: 'forward',
  inputs: ['in'],
  config: z.object({ expression: jsonata('Events for which this is true pass') }),
  code: (c) => [{ path: ['expression'], language: 'jsonata', source: c.expression }],
  palette: { label: 'Filter', help: 'Passes the events for which a JSONata predicate is true.' },
});

export const transformNode = defineNode({
  type: 'transform',
  kind: 'processor',
  behaviour: 'emit',
  inputs: ['in'],
  config: z.object({
    expression: jsonata('The result becomes the new event data'),
    type: eventType.optional(),
  }),
  code: (c) => [{ path: ['expression'], language: 'jsonata', source: c.expression }],
  palette: { label: 'Transform', help: 'Maps each event with JSONata into a derived event (optionally of a new type).' },
});

const portName = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');

export const routerNode = defineNode({
  type: 'router',
  kind: 'processor',
  behaviour: 'forward',
  inputs: ['in'],
  config: z.object({
    rules: z
      .array(z.object({ port: portName, expression: jsonata('Events for which this is true leave by the port') }))
      .min(1, 'a router needs at least one rule')
      .refine((rules) => new Set(rules.map((r) => r.port)).size === rules.length, { message: 'ports must be distinct' })
      .refine((rules) => rules.every((r) => r.port !== 'otherwise'), { message: '"otherwise" is the default port' }),
    mode: z.enum(['first', 'all']).default('first'),
  }),
  outputs: (c) => [...c.rules.map((r) => r.port), 'otherwise'],
  code: (c) => c.rules.map((r, i) => ({ path: ['rules', i, 'expression'], language: 'jsonata' as const, source: r.expression })),
  palette: { label: 'Router', help: 'Ordered rules send each event to a port; unmatched events leave by "otherwise".' },
});

export const batchNode = defineNode({
  type: 'batch',
  kind: 'processor',
  behaviour: 'emit',
  inputs: ['in'],
  config: z
    .object({
      size: z.number().int().min(1).max(100_000).default(100),
      timeoutMs: z.number().int().min(0).max(86_400_000).default(1000),
      type: eventType.default('batch'),
    }),
  palette: {
    label: 'Batch',
    help: 'Collects events until size is reached or the timeout passes (0: no timeout), then emits one event with them.',
  },
});

export const throttleNode = defineNode({
  type: 'throttle',
  kind: 'processor',
  behaviour: 'forward',
  inputs: ['in'],
  config: z.object({
    perSecond: z.number().positive().max(1_000_000).default(10),
    key: jsonata('Events with the same key share one rate').default('source'),
  }),
  code: (c) => [{ path: ['key'], language: 'jsonata', source: c.key }],
  palette: { label: 'Throttle', help: 'Lets at most N events per second through for each key; the rest are dropped and counted.' },
});

export const dedupeNode = defineNode({
  type: 'dedupe',
  kind: 'processor',
  behaviour: 'forward',
  inputs: ['in'],
  config: z.object({
    key: jsonata('Events with the same key are duplicates').default('id'),
    windowMs: milliseconds(1, 86_400_000, 60_000),
  }),
  code: (c) => [{ path: ['key'], language: 'jsonata', source: c.key }],
  palette: { label: 'Dedupe', help: 'Drops an event whose key was seen within the window.' },
});
