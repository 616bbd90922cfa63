/**
 * The flow test route: a flow document as drawn (saved or not) and a few events, run through it in dry-run, answered
 * with what each node received, emitted and failed on, and the effects its sinks recorded instead of sending. The
 * inputs are hand-written CloudEvents, stored events by id, or the last events that entered by one of the flow's
 * sources; each enters by one source node of the document.
 */
import { z } from 'zod';
import { StoredEventSchema, TimestampSchema } from '../event.js';
import { FlowInputSchema, IdSchema } from '../flow.js';
import { ErrorAnswerSchema } from './errors.js';
import { ProblemSchema } from './flows.js';
import { noQuerySchema } from './query.js';
import { RecordedEffectSchema } from './replays.js';
import { jsonContent, route } from './route.js';

/** The most events one test runs. */
export const MAX_TEST_EVENTS = 100;
/** The most events a node's lists hold in an answer (its counts count them all). */
export const MAX_LISTED_PER_NODE = 200;

const text = (max: number) => z.string().min(1, 'must not be empty').max(max, `at most ${max} characters`);

/** A hand-written event: a CloudEvent of which only `type` is needed (the id and source are made up when missing). */
export const TestEventSchema = z
  .strictObject({
    specversion: z.literal('1.0').optional(),
    id: text(256).optional(),
    source: text(1024).optional(),
    type: text(256),
    subject: z.string().max(1024).optional(),
    time: TimestampSchema.optional(),
    datacontenttype: z.string().max(256).optional(),
    data: z.unknown().optional(),
  })
  .meta({ id: 'TestEvent', description: 'A CloudEvent written by hand: `type` is needed, `id` and `source` are made up when missing.' });
export type TestEvent = z.infer<typeof TestEventSchema>;

const sourceField = IdSchema.optional().meta({
  description: 'The source node it enters by; default: the source whose events it is, else the first http source taking its type, else the first source.',
});

export const TestInputSchema = z
  .union([
    z.strictObject({ source: sourceField, event: TestEventSchema }),
    z.strictObject({ source: sourceField, eventId: text(256).meta({ description: 'A stored event, by id (one picked on the timeline).' }) }),
    z.strictObject({
      source: IdSchema.meta({ description: 'The source node whose latest inputs are taken.' }),
      last: z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_TEST_EVENTS, `at most ${MAX_TEST_EVENTS}`),
    }),
  ])
  .meta({
    id: 'TestInput',
    description:
      'One input, or several: `{event}` a hand-written CloudEvent, `{eventId}` a stored event, `{source, last}` the last N stored events that entered by that source (of the saved flow with the document’s id, or published with a type an http source takes).',
  });
export type TestInput = z.infer<typeof TestInputSchema>;

export const FlowTestRequestSchema = z
  .strictObject({
    flow: FlowInputSchema,
    inputs: z.array(TestInputSchema).min(1, 'a test needs at least one input').max(MAX_TEST_EVENTS, `at most ${MAX_TEST_EVENTS} inputs`),
  })
  .meta({ id: 'FlowTestRequest' });
export type FlowTestRequest = z.input<typeof FlowTestRequestSchema>;

export const TestOutputSchema = z.strictObject({
  port: z.string().meta({ description: 'The output port it left by.' }),
  event: StoredEventSchema,
});
export type TestOutput = z.infer<typeof TestOutputSchema>;

export const TestErrorSchema = z.strictObject({
  eventId: z.string().meta({ description: 'The input it failed on.' }),
  code: z.string(),
  message: z.string(),
});
export type TestError = z.infer<typeof TestErrorSchema>;

export const TestNodeResultSchema = z
  .strictObject({
    received: z.array(StoredEventSchema).meta({ description: 'The events it was given, in order (the first MAX_LISTED_PER_NODE).' }),
    emitted: z.array(TestOutputSchema).meta({ description: 'What it passed on or derived, with the port (the first MAX_LISTED_PER_NODE).' }),
    errors: z.array(TestErrorSchema).meta({ description: 'The inputs it failed on, with the reason (the first MAX_LISTED_PER_NODE).' }),
    counts: z.strictObject({ received: z.number().int(), emitted: z.number().int(), errors: z.number().int() }),
  })
  .meta({ id: 'TestNodeResult' });
export type TestNodeResult = z.infer<typeof TestNodeResultSchema>;

export const TestDebugSchema = z.strictObject({ nodeId: z.string(), event: StoredEventSchema });

export const FlowTestResultSchema = z
  .strictObject({
    inputs: z.number().int().meta({ description: 'How many events were run.' }),
    nodes: z.record(z.string(), TestNodeResultSchema).meta({ description: 'By node id: every node of the flow.' }),
    effects: z.array(RecordedEffectSchema).meta({ description: 'What the sinks with side effects would have sent, recorded instead.' }),
    debug: z.array(TestDebugSchema).meta({ description: 'What the debug sinks showed.' }),
    stopped: z
      .string()
      .nullable()
      .meta({ description: 'Why the run stopped before it was done (its time or event limit); null when every input was handled to the end.' }),
    warnings: z.array(ProblemSchema),
    durationMs: z.number().int(),
  })
  .meta({ id: 'FlowTestResult' });
export type FlowTestResult = z.infer<typeof FlowTestResultSchema>;

/** A test refused because the document does not compile carries the problems beside the error. */
export const FlowTestRefusalSchema = ErrorAnswerSchema.extend({ errors: z.array(ProblemSchema).optional(), warnings: z.array(ProblemSchema).optional() });

export const flowTestContract = {
  testFlow: route({
    method: 'post',
    path: '/api/flows/test',
    tag: 'flows',
    summary: 'Run events through a flow as drawn, in dry-run: what each node received, emitted and failed on',
    description:
      'The document need not be saved. It runs isolated: nothing is appended to the event log, sinks with side effects record what they would send. ' +
      `At most ${MAX_TEST_EVENTS} events; the run is bounded in time and in the events it may derive (\`stopped\` says when it was cut short).`,
    role: 'editor',
    query: noQuerySchema,
    body: { description: 'The flow document and the events to run.', required: true, content: jsonContent(FlowTestRequestSchema) },
    answer: { status: 200, description: 'Per node, what it received, emitted and failed on; the recorded effects.', content: jsonContent(FlowTestResultSchema) },
    errors: {
      400: 'the body is not valid (naming the field), an input names a node that is not a source, or the flow has no source',
      404: 'an `eventId` names no stored event',
      413: 'the body is larger than `bus.batchBodyLimitBytes`',
      422: { description: 'the document does not compile (`compile_failed`, with `errors` and `warnings`)', schema: FlowTestRefusalSchema },
      429: 'as many tests run as the server allows (`too_many_tests`, with Retry-After)',
    },
  }),
};
