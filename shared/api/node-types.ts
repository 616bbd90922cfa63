/**
 * `GET /api/node-types`: the palette as data, for a client without the shared code: each node type's kind, ports,
 * look, and its config schema as JSON Schema.
 */
import { z } from 'zod';
import { BEHAVIOURS, NODE_KINDS } from '../nodes/define.js';
import { noQuerySchema } from './query.js';
import { jsonContent, route } from './route.js';

export const NodeTypeInfoSchema = z
  .strictObject({
    type: z.string(),
    kind: z.enum(NODE_KINDS),
    behaviour: z
      .enum(BEHAVIOURS)
      .meta({ description: '`forward` passes the same event on, `emit` appends derived events, `consume` only has an effect, `produce` makes events from outside.' }),
    inputs: z.array(z.string()),
    outputs: z.array(z.string()).meta({ description: 'The output ports with the default config (a router’s depend on its rules).' }),
    palette: z.strictObject({ label: z.string(), colour: z.string(), help: z.string() }),
    configSchema: z.unknown().meta({ description: 'JSON Schema of the config as a client writes it; null if it has no JSON form.' }),
    defaults: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The config with every default filled in, or null when some field has none.' }),
  })
  .meta({ id: 'NodeTypeInfo' });
export type NodeTypeInfo = z.infer<typeof NodeTypeInfoSchema>;

export const NodeTypeListSchema = z.strictObject({ nodeTypes: z.array(NodeTypeInfoSchema) });

export const nodeTypeContract = {
  nodeTypes: route({
    method: 'get',
    path: '/api/node-types',
    tag: 'node-types',
    summary: 'The node types a flow may use: the palette',
    role: 'viewer',
    query: noQuerySchema,
    answer: { status: 200, description: 'Every node type.', content: jsonContent(NodeTypeListSchema) },
  }),
};
