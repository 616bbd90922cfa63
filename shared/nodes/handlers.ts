import { z } from 'zod';
import { defineNode } from './define.js';
import { javascript, jsonata, milliseconds } from './fields.js';

const memoryMb = z.number().int().min(1).max(256).default(16);

export const functionNode = defineNode({
  type: 'function',
  kind: 'handler',
  behaviour: 'emit',
  inputs: ['in'],
  config: z.object({
    code: javascript('Body of function (event): return {type, data}, an array of them, or null'),
    timeoutMs: milliseconds(1, 10_000, 50),
    memoryMb,
    priority: z.number().int().min(-1000).max(1000).default(0),
  }),
  code: (c) => [{ path: ['code'], language: 'javascript', source: c.code, params: ['event'] }],
  palette: {
    label: 'Function',
    help: 'JavaScript in a sandbox: returns zero or more events. Higher priority runs first on a shared input.',
  },
});

export const actorNode = defineNode({
  type: 'actor',
  kind: 'actor',
  behaviour: 'emit',
  inputs: ['in'],
  config: z.object({
    key: jsonata('Events with the same key share one actor').default('source'),
    initialState: z.unknown().default({}),
    reducer: javascript('Body of function (state, event): return {state, emit: [{type, data}]}'),
    strategy: z.enum(['restart', 'resume', 'stop']).default('restart'),
    timeoutMs: milliseconds(1, 10_000, 100),
    snapshotEvery: z.number().int().min(1).max(1_000_000).default(100),
    memoryMb,
  }),
  code: (c) => [
    { path: ['key'], language: 'jsonata', source: c.key },
    { path: ['reducer'], language: 'javascript', source: c.reducer, params: ['state', 'event'] },
  ],
  palette: {
    label: 'Actor',
    help: 'State per key, one message at a time: a reducer returns the new state and events to emit.',
  },
});
