/**
 * The flow routes: save and read flows with their revisions (ETag / If-Match), validate, deploy, stop, status, and
 * the editor's live stream. The flow document itself is shared/flow.ts.
 */
import { z } from 'zod';
import { StoredEventSchema } from '../event.js';
import { FlowInputSchema, FlowSchema, IdSchema } from '../flow.js';
import { ErrorAnswerSchema } from './errors.js';
import { noQuerySchema } from './query.js';
import { EVENT_STREAM, jsonContent, route } from './route.js';
import { EventStreamSchema, OverflowMessageSchema, STREAM_ERRORS } from './stream.js';

export const FlowStateSchema = z.enum(['running', 'stopped']);

export const FlowSummarySchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    revision: z.number().int().positive().meta({ description: 'The latest revision.' }),
    deployedRevision: z.number().int().positive().nullable().meta({ description: 'The revision deployed; null when stopped.' }),
    status: FlowStateSchema,
  })
  .meta({ id: 'FlowSummary' });
export type FlowSummary = z.infer<typeof FlowSummarySchema>;

export const FlowListSchema = z.strictObject({ flows: z.array(FlowSummarySchema) });
export type FlowList = z.infer<typeof FlowListSchema>;

export const RevisionInfoSchema = z
  .strictObject({
    revision: z.number().int().positive(),
    createdAt: z.string().meta({ description: 'When it was saved: RFC 3339, UTC.' }),
    author: z.string().nullable().meta({ description: 'The name of the token that saved it; null without tokens.' }),
  })
  .meta({ id: 'RevisionInfo' });
export type RevisionInfo = z.infer<typeof RevisionInfoSchema>;

export const RevisionListSchema = z.strictObject({ revisions: z.array(RevisionInfoSchema).meta({ description: 'Newest first.' }) });

/** A compile problem: a stable code, the node the editor marks and the path of the field. */
export const ProblemSchema = z
  .strictObject({
    code: z.string().meta({ description: 'Stable: `invalid_config`, `unknown_port`, `cycle`, `unreachable` …' }),
    nodeId: z
      .string()
      .nullable()
      .meta({ description: 'The node the editor marks; for an edge problem, the node at the bad end; null for the flow as a whole.' }),
    edgeId: z.string().optional().meta({ description: 'The edge concerned, when there is one.' }),
    path: z.string().meta({
      description:
        "Dotted path: relative to the node (`config.rules.0.expression`, `type`; `''` for the node as a whole) for a node problem, relative to the flow (`edges.3.target`, `nodes`, `name`) for a document or wiring problem.",
    }),
    message: z.string().meta({ description: 'What was wrong and where, fit to show on the node.' }),
    at: z
      .strictObject({ line: z.number().int().positive(), column: z.number().int().positive() })
      .optional()
      .meta({ description: 'For a syntax error in code (`jsonata_syntax`, `script_syntax`): where in the field’s text, line and column from 1.' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

export const ValidationResultSchema = z
  .strictObject({ ok: z.boolean(), errors: z.array(ProblemSchema), warnings: z.array(ProblemSchema) })
  .meta({ id: 'ValidationResult' });
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

export const DeployRequestSchema = z.strictObject({
  revision: z.number().int().positive().max(1_000_000_000).optional().meta({ description: 'Default: the latest.' }),
});

export const DeployAnswerSchema = z.strictObject({ deployedRevision: z.number().int().positive(), warnings: z.array(ProblemSchema) });
export type DeployAnswer = z.infer<typeof DeployAnswerSchema>;

/** A deploy refused because the revision does not compile (`compile_failed`) carries the problems beside the error. */
export const DeployRefusalSchema = ErrorAnswerSchema.extend({ errors: z.array(ProblemSchema).optional(), warnings: z.array(ProblemSchema).optional() });

export const StopAnswerSchema = z.strictObject({ state: z.literal('stopped'), deployedRevision: z.null() });

export const NodeCountersSchema = z
  .strictObject({
    in: z.number(),
    out: z.number(),
    errors: z.number(),
    queued: z.number(),
    lastAt: z.string().optional().meta({ description: 'When the node last took in or sent out an event: RFC 3339, UTC; absent before its first.' }),
    keys: z.number().optional().meta({ description: 'An actor: the keys it holds in memory now (live keys).' }),
  })
  .meta({
    id: 'NodeCounters',
    description: 'Events in, out, failed, and waiting in the mailbox. In, out and errors are totals that continue across restarts and deploys.',
  });
export type NodeCounters = z.infer<typeof NodeCountersSchema>;

export const FlowStatusSchema = z
  .strictObject({
    state: FlowStateSchema,
    revision: z.number().int().positive().nullable().meta({ description: 'The revision running; null when stopped.' }),
    checkpoint: z.number().int().nullable().meta({ description: 'The position every event before has been handled up to.' }),
    error: z.string().nullable(),
    nodes: z.record(z.string(), NodeCountersSchema).meta({ description: 'Counters by node id.' }),
    instances: z
      .record(z.string(), NodeCountersSchema)
      .optional()
      .meta({
        description:
          "Counters of each subflow instance, by its node id, summed over the nodes it runs as (`<instance>.<inner node>`, also in `nodes`): `in`, what the nodes its input port feeds took in; `out`, what the nodes feeding its output ports sent; `errors` and `queued`, over all its nodes; `lastAt`, the latest. Absent when the flow has no subflow instance.",
      }),
  })
  .meta({ id: 'FlowStatus' });
export type FlowStatus = z.infer<typeof FlowStatusSchema>;

/** The `status` message of a flow's live stream: the status without its checkpoint. */
export const FlowLiveStatusSchema = FlowStatusSchema.omit({ checkpoint: true }).meta({ id: 'FlowLiveStatus' });
export type FlowLiveStatus = z.infer<typeof FlowLiveStatusSchema>;

/** The `debug` message: an event that reached one of the flow's debug nodes. */
export const DebugMessageSchema = z.strictObject({ nodeId: z.string(), event: StoredEventSchema }).meta({ id: 'DebugMessage' });
export type DebugMessage = z.infer<typeof DebugMessageSchema>;

/** The last events one node took in and sent out, newest first. */
export const NodeTrafficSchema = z
  .strictObject({
    in: z.array(StoredEventSchema).meta({ description: 'The last events it took in (at most 5), newest first.' }),
    out: z.array(StoredEventSchema).meta({ description: 'The last events it sent out, forwarded or derived (at most 5), newest first.' }),
  })
  .meta({ id: 'NodeTraffic' });
export type NodeTraffic = z.infer<typeof NodeTrafficSchema>;

const FlowParams = z.strictObject({ id: IdSchema });
const NodeParams = z.strictObject({ id: IdSchema, node: IdSchema });
const RevisionParams = z.strictObject({
  id: IdSchema,
  rev: z
    .string()
    .regex(/^\d{1,9}$/, 'expected a revision number')
    .transform(Number)
    .pipe(z.number().int().positive('revisions start at 1')),
});

const flowBody = (description: string) => ({ description, required: true, content: jsonContent(FlowInputSchema) });
const TOO_LARGE = 'the body is larger than `bus.batchBodyLimitBytes`';
const NO_FLOW = 'no flow has this id';

export const flowContract = {
  listFlows: route({
    method: 'get',
    path: '/api/flows',
    tag: 'flows',
    summary: 'List the flows, with the revision each runs',
    role: 'viewer',
    query: noQuerySchema,
    answer: { status: 200, description: 'Every flow.', content: jsonContent(FlowListSchema) },
  }),
  createFlow: route({
    method: 'post',
    path: '/api/flows',
    tag: 'flows',
    summary: 'Save a new flow as its revision 1',
    role: 'editor',
    query: noQuerySchema,
    body: flowBody('The flow; an `id` is made when none is given.'),
    answer: {
      status: 201,
      description: 'The saved flow.',
      content: jsonContent(FlowSchema),
      headers: { Location: 'The URL of the flow.', ETag: 'Its revision, `"1"`.' },
    },
    errors: { 400: 'the body is not a flow (naming the field) or nests too deep', 409: 'a flow with this id exists (`flow_exists`)', 413: TOO_LARGE },
  }),
  validateFlow: route({
    method: 'post',
    path: '/api/flows/validate',
    tag: 'flows',
    summary: 'Compile a flow without saving it: every problem at once',
    description: 'Any JSON is compiled: what is not a flow is answered with `ok: false` and its problems, not a 400.',
    role: 'viewer',
    query: noQuerySchema,
    body: flowBody('A flow document.'),
    answer: { status: 200, description: 'Whether it compiles, its errors and warnings.', content: jsonContent(ValidationResultSchema) },
    errors: { 400: 'the body is not JSON or nests too deep', 413: TOO_LARGE },
  }),
  getFlow: route({
    method: 'get',
    path: '/api/flows/{id}',
    tag: 'flows',
    summary: 'The latest revision of a flow',
    role: 'viewer',
    params: FlowParams,
    query: noQuerySchema,
    headers: z.object({
      'If-None-Match': z.string().optional().meta({ description: 'A revision the client holds, `"<revision>"`: answered 304 while it is still the latest.' }),
    }),
    answer: {
      status: 200,
      description: 'The flow.',
      content: jsonContent(FlowSchema),
      headers: { ETag: 'Its revision, `"<revision>"`.' },
      notModified: 'If-None-Match names the latest revision: nothing newer was saved (no body, the ETag again). An open editor polls this way.',
    },
    errors: { 400: 'the id is not a flow id', 404: NO_FLOW },
  }),
  saveFlow: route({
    method: 'put',
    path: '/api/flows/{id}',
    tag: 'flows',
    summary: 'Save a new revision of a flow over the one named in If-Match',
    role: 'editor',
    params: FlowParams,
    query: noQuerySchema,
    headers: z.object({ 'If-Match': z.string().meta({ description: 'The revision this one replaces: `"<revision>"`.' }) }),
    body: flowBody('The flow; an `id`, if given, must be the one in the URL.'),
    answer: { status: 200, description: 'The new revision.', content: jsonContent(FlowSchema), headers: { ETag: 'Its revision.' } },
    errors: {
      400: 'the body is not a flow (naming the field), or If-Match is not a revision tag',
      404: NO_FLOW,
      412: 'a newer revision exists (`revision_conflict`, with its ETag)',
      413: TOO_LARGE,
      428: 'no If-Match header (`precondition_required`)',
    },
  }),
  deleteFlow: route({
    method: 'delete',
    path: '/api/flows/{id}',
    tag: 'flows',
    summary: 'Delete a flow and its revisions, stopping it first',
    description: 'Deleting a running flow stops it, which needs the admin role; a stopped flow is the editor’s to delete.',
    role: 'editor',
    params: FlowParams,
    query: noQuerySchema,
    answer: { status: 204, description: 'Deleted.' },
    errors: { 403: 'the flow runs and the role is below admin', 404: NO_FLOW, 409: 'a subflow that deployed flows use (`subflow_in_use`, naming them)' },
  }),
  listRevisions: route({
    method: 'get',
    path: '/api/flows/{id}/revisions',
    tag: 'flows',
    summary: 'The revisions of a flow, newest first',
    role: 'viewer',
    params: FlowParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'Each revision with when and by whom it was saved.', content: jsonContent(RevisionListSchema) },
    errors: { 404: NO_FLOW },
  }),
  getRevision: route({
    method: 'get',
    path: '/api/flows/{id}/revisions/{rev}',
    tag: 'flows',
    summary: 'One revision of a flow',
    role: 'viewer',
    params: RevisionParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'The flow as it was saved then.', content: jsonContent(FlowSchema), headers: { ETag: 'Its revision.' } },
    errors: { 400: 'the revision is not a number', 404: 'no such flow or revision' },
  }),
  deployFlow: route({
    method: 'post',
    path: '/api/flows/{id}/deploy',
    tag: 'flows',
    summary: 'Compile a revision and run it in place of the one running',
    role: 'admin',
    params: FlowParams,
    query: noQuerySchema,
    body: { description: 'Optional: the revision to deploy (default the latest).', required: false, content: jsonContent(DeployRequestSchema) },
    answer: { status: 200, description: 'The revision now running, and its warnings.', content: jsonContent(DeployAnswerSchema) },
    errors: {
      400: 'the body names no revision number',
      404: 'no such flow or revision',
      422: { description: 'the revision does not compile (`compile_failed`, with `errors` and `warnings`) or could not start (`deploy_failed`)', schema: DeployRefusalSchema },
    },
  }),
  stopFlow: route({
    method: 'post',
    path: '/api/flows/{id}/stop',
    tag: 'flows',
    summary: 'Stop a running flow',
    role: 'admin',
    params: FlowParams,
    query: noQuerySchema,
    body: { description: 'Ignored; may be empty.', required: false, content: jsonContent(z.unknown()) },
    answer: { status: 200, description: 'Stopped.', content: jsonContent(StopAnswerSchema) },
    errors: { 400: 'the body is not JSON', 404: NO_FLOW },
  }),
  flowStatus: route({
    method: 'get',
    path: '/api/flows/{id}/status',
    tag: 'flows',
    summary: 'Whether a flow runs, and the counters of its nodes',
    role: 'viewer',
    params: FlowParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'Its status.', content: jsonContent(FlowStatusSchema) },
    errors: { 404: NO_FLOW },
  }),
  nodeTraffic: route({
    method: 'get',
    path: '/api/flows/{id}/nodes/{node}/traffic',
    tag: 'flows',
    summary: 'The last events a node of a running flow took in and sent out',
    description: 'Kept in memory by the process that runs the node since its run started; empty while the flow is stopped.',
    role: 'viewer',
    params: NodeParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'Its last inputs and outputs, newest first.', content: jsonContent(NodeTrafficSchema) },
    errors: { 404: NO_FLOW },
  }),
  flowLive: route({
    method: 'get',
    path: '/api/flows/{id}/live',
    tag: 'flows',
    summary: 'The editor’s live stream of a flow: its status on a tick, and what reaches its debug nodes',
    role: 'viewer',
    params: FlowParams,
    query: noQuerySchema,
    answer: { status: 200, description: 'A stream of `status` and `debug` messages.', content: { [EVENT_STREAM]: EventStreamSchema } },
    messages: { status: FlowLiveStatusSchema, debug: DebugMessageSchema, overflow: OverflowMessageSchema },
    errors: { 404: NO_FLOW, ...STREAM_ERRORS },
  }),
};
