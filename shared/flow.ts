/**
 * The flow document: nodes and edges, saved as revisions, as a client sends it and as the server answers it.
 * Structure only; whether node types, configs and wiring make sense is the compiler's question, so that `validate`
 * can answer with every problem at once.
 */
import { z } from 'zod';
import { textProblem } from './storable.js';

export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const ProcessNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

export const FlowNodeSchema = z.object({
  id: IdSchema,
  type: z.string().min(1).max(64),
  name: z.string().max(200).default(''),
  process: ProcessNameSchema.default('main'),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type FlowNode = z.infer<typeof FlowNodeSchema>;

export const FlowEdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  sourcePort: z.string().min(1).max(64).default('out'),
  target: IdSchema,
  targetPort: z.string().min(1).max(64).default('in'),
});
export type FlowEdge = z.infer<typeof FlowEdgeSchema>;

export const MAX_NODES = 5000;

/** The most characters of a flow's partition key: the bound of every JSONata field of a node config. */
export const MAX_PARTITION_KEY = 10_000;

const PARTITION_KEY_HELP =
  "JSONata over the event that starts a chain (`data.site`, `source`): in a cluster, the events whose key is equal are handled in one partition. Absent: the key of the flow's first actor, else the event's `process`. An event the expression fails on, or gives nothing for, goes by its `process`.";

/** The partition key as a flow is sent: any text, which the compiler checks as JSONata (so a flow saves with a typo in it). */
const PartitionKeySchema = z.string().max(MAX_PARTITION_KEY).optional().meta({ description: PARTITION_KEY_HELP });

/** A flow as a client sends it (no id or revision needed). */
export const FlowInputSchema = z
  .object({
    id: z.string().optional(),
    name: z
      .string()
      .trim()
      .min(1, 'a flow needs a name')
      .max(200)
      // Stored as text (a NUL character failed on PostgreSQL only): what every store keeps, see storable.ts.
      .superRefine((name, ctx) => {
        const problem = textProblem(name);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
    description: z.string().max(5000).default(''),
    revision: z.number().int().positive().optional(),
    partitionKey: PartitionKeySchema,
    nodes: z.array(FlowNodeSchema).max(MAX_NODES).default([]),
    edges: z.array(FlowEdgeSchema).max(MAX_NODES * 4).default([]),
  })
  .meta({ id: 'FlowInput', description: 'A flow as a client sends it: no id or revision needed; the server fills in the defaults.' });
export type FlowInput = z.input<typeof FlowInputSchema>;

/** A saved flow revision, as the server answers it: every default filled in, nothing else. */
export const FlowSchema = z
  .strictObject({
    id: IdSchema,
    name: z.string(),
    description: z.string(),
    revision: z.number().int().positive(),
    partitionKey: z.string().optional().meta({ description: PARTITION_KEY_HELP }),
    nodes: z.array(FlowNodeSchema.strict()),
    edges: z.array(FlowEdgeSchema.strict()),
  })
  .meta({ id: 'Flow' });
export type Flow = z.infer<typeof FlowSchema>;

export type FlowDraft = Omit<Flow, 'id' | 'revision'> & { id?: string; revision?: number };

/** A flow's settings besides its name and description: what every copy of a flow's content carries along. */
export type FlowSettings = Pick<Flow, 'partitionKey'>;

/** The settings a flow sets, and only those: a flow that sets none copies as before (no `partitionKey: undefined`). */
export const settingsOf = (flow: FlowSettings): FlowSettings => (flow.partitionKey === undefined ? {} : { partitionKey: flow.partitionKey });

/** Parse a client's flow, filling defaults; throws a ZodError naming the field. */
export const parseFlow = (value: unknown): FlowDraft => FlowInputSchema.parse(value);
