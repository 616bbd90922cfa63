/**
 * The event envelope: CloudEvents 1.0 attributes plus Causeway's own (stream, position, process, clock, ids).
 */
import { z } from 'zod';
import { serialize, type VectorClock } from './clock.js';
import { nameProblem } from './storable.js';

const nonEmpty = z.string().min(1, 'must not be empty');
const attributeName = /^[a-z0-9]{1,20}$/;

/**
 * A vector clock: process names (text every store keeps, see storable.ts) to non-negative safe integers. Parsed into
 * a new object whose every entry is its own: zod's record leaves a `__proto__` key out, and a process may be named so.
 */
export const VectorClockSchema = z.unknown().transform((value, ctx): VectorClock => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object of process names and counters' });
    return z.NEVER;
  }
  const clock: Record<string, number> = {};
  for (const process in value) {
    if (!Object.hasOwn(value, process)) continue;
    const problem = process.length === 0 ? 'is empty' : nameProblem(process);
    const n = (value as Record<string, unknown>)[process];
    if (problem !== null) ctx.addIssue({ code: 'custom', path: [process], message: `the process name ${problem}` });
    else if (!Number.isSafeInteger(n) || (n as number) < 0) ctx.addIssue({ code: 'custom', path: [process], message: 'must be a non-negative integer' });
    // Assigning `__proto__` would set the prototype: that one entry is defined as an own property. (Assignment, not
    // Object.fromEntries over a list of pairs, as every page of events parses a clock per event: five times faster.)
    else if (process === '__proto__') Object.defineProperty(clock, process, { value: n, enumerable: true, writable: true, configurable: true });
    else clock[process] = n as number;
  }
  return clock;
}).meta({
  id: 'VectorClock',
  description: 'Process names to counters: which events of each process this one has seen.',
  // The schema checks by hand what JSON Schema says so: an object of non-negative integers.
  type: 'object',
  additionalProperties: { type: 'integer', minimum: 0 },
});

/** Timestamps as RFC 3339 (the store and the API always speak UTC with `Z`). */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** The first problem of a clock, with the process it concerns. */
function clockIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const process = issue.path[0];
  if (typeof process !== 'string') return issue.message;
  return `${JSON.stringify(process.length > 64 ? `${process.slice(0, 64)}…` : process)}: ${issue.message}`;
}

/**
 * A CloudEvent in structured mode, as a client publishes it. Extension attributes Causeway reads:
 * correlationid, causationid, process, vectorclock (a JSON string), stream, expectedversion.
 * Any other lower-case extension is kept in the stored event's metadata.
 */
const CLOUD_EVENT_SHAPE = {
  specversion: z.literal('1.0', { error: 'must be "1.0"' }),
  id: nonEmpty.max(256),
  source: nonEmpty.max(1024),
  type: nonEmpty.max(256),
  time: TimestampSchema.optional(),
  subject: z.string().max(1024).optional(),
  datacontenttype: z.string().max(256).optional(),
  dataschema: z.string().optional(),
  data: z.unknown().optional(),
  data_base64: z.string().optional(),
  correlationid: nonEmpty.max(256).optional(),
  causationid: nonEmpty.max(256).optional(),
  process: nonEmpty.max(256).optional(),
  vectorclock: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      if (text === undefined) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of process → counter' });
        return;
      }
      const check = VectorClockSchema.safeParse(parsed);
      if (!check.success) ctx.addIssue({ code: 'custom', message: `must map process names to non-negative integers (${clockIssue(check.error)})` });
    }),
  stream: nonEmpty.max(256).optional(),
  expectedversion: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
};

/**
 * The schema of a CloudEvent with these of the attributes above. Attribute names are checked on the input as given:
 * the object parse leaves out a `__proto__` key (which JSON makes an ordinary one), so an event sending it would lose
 * that attribute without a word.
 */
const cloudEventSchema = <S extends Partial<typeof CLOUD_EVENT_SHAPE>>(shape: S) =>
  z
    // A check that passes its input on, written as a transform so that schema readers (the OpenAPI document) see
    // the object it leads to.
    .transform((input: unknown, ctx) => {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
      for (const key in input) {
        if (!Object.hasOwn(input, key)) continue; // as Object.keys, without building its array per event
        if (!attributeName.test(key) && key !== 'data_base64') {
          ctx.addIssue({ code: 'custom', path: [key], message: 'attribute names are 1–20 lower-case letters or digits' });
        }
      }
      return input;
    })
    .pipe(
      z
        .object(shape)
        .catchall(z.unknown())
        .superRefine((event, ctx) => {
          if (event.data !== undefined && event.data_base64 !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['data_base64'], message: 'data and data_base64 are mutually exclusive' });
          }
        }),
    );

export const CloudEventSchema = cloudEventSchema(CLOUD_EVENT_SHAPE).meta({
  id: 'CloudEvent',
  description: 'A CloudEvent 1.0 in structured mode; other lower-case extension attributes are kept in the stored event’s metadata.',
});
export type CloudEvent = z.infer<typeof CloudEventSchema>;

export const CloudEventBatchSchema = z.array(CloudEventSchema).min(1, 'a batch holds at least one event');

/**
 * The same answers as CloudEventSchema and CloudEventBatchSchema, for less work per event: each event is parsed
 * with the schema of the attributes it has. zod's object parse runs every attribute's schema, present or not (a
 * result object and an issues list each), and absent optional attributes add nothing to the answer. Only a valid
 * event takes the short way: anything refused is parsed again by the whole schema, whose issues are the answer.
 */
export const CloudEventParser = {
  safeParse: (input: unknown): z.ZodSafeParseResult<CloudEvent> => parseEvent(input) ?? CloudEventSchema.safeParse(input),
};
export const CloudEventBatchParser = {
  safeParse(input: unknown): z.ZodSafeParseResult<CloudEvent[]> {
    if (!Array.isArray(input) || input.length === 0) return CloudEventBatchSchema.safeParse(input);
    const events: CloudEvent[] = new Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const parsed = parseEvent(input[i]);
      if (parsed === undefined) return CloudEventBatchSchema.safeParse(input);
      events[i] = parsed.data;
    }
    return { success: true, data: events };
  },
};

const SHAPE_KEYS = Object.keys(CLOUD_EVENT_SHAPE) as (keyof typeof CLOUD_EVENT_SHAPE)[];
/** The attributes every event has to have, as bits of SHAPE_KEYS: in every schema, present or not. */
const REQUIRED = SHAPE_KEYS.reduce((bits, key, i) => (CLOUD_EVENT_SHAPE[key].safeParse(undefined).success ? bits : bits | (1 << i)), 0);
/** Schemas by the attributes they hold (a bit per SHAPE_KEYS entry). Past this many, the whole schema serves. */
const MAX_SCHEMAS = 256;
const schemas = new Map<number, typeof CloudEventSchema>();

/** The event parsed by the schema of the attributes it has; undefined when that refuses it. */
function parseEvent(input: unknown): { success: true; data: CloudEvent } | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  let present = REQUIRED;
  // `in`, as zod's object parse decides presence.
  for (let i = 0; i < SHAPE_KEYS.length; i++) if (SHAPE_KEYS[i]! in input) present |= 1 << i;
  let schema = schemas.get(present);
  if (schema === undefined) {
    if (schemas.size >= MAX_SCHEMAS) schema = CloudEventSchema;
    else {
      const shape: Partial<typeof CLOUD_EVENT_SHAPE> = {};
      SHAPE_KEYS.forEach((key, i) => {
        if (present & (1 << i)) Object.assign(shape, { [key]: CLOUD_EVENT_SHAPE[key] });
      });
      // Its answer for an event with exactly these attributes is the whole schema's: the cast says so.
      schema = cloudEventSchema(shape) as unknown as typeof CloudEventSchema;
      schemas.set(present, schema);
    }
  }
  const result = schema.safeParse(input);
  return result.success ? result : undefined;
}

/** Everything the store needs to append an event; it assigns `position` and `version`. */
export interface EventDraft {
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string | null;
  datacontenttype: string | null;
  data: unknown;
  stream: string;
  /** The stream's current version that this append expects (0: the stream is empty); absent: any. */
  expectedVersion?: number;
  process: string;
  vectorClock: VectorClock;
  correlationId: string;
  causationId: string | null;
  flowId: string | null;
  nodeId: string | null;
  revision: number | null;
  metadata: Record<string, unknown>;
}

/** An event as stored, and as every route answers it: immutable once appended. */
export const StoredEventSchema = z
  .strictObject({
    id: z.string(),
    type: z.string(),
    source: z.string(),
    time: z.string().meta({ description: 'RFC 3339, UTC.' }),
    subject: z.string().nullable(),
    datacontenttype: z.string().nullable(),
    data: z.unknown(),
    stream: z.string(),
    version: z.number().int().positive(),
    position: z.number().int().positive(),
    process: z.string(),
    vectorClock: VectorClockSchema,
    correlationId: z.string(),
    causationId: z.string().nullable(),
    flowId: z.string().nullable(),
    nodeId: z.string().nullable(),
    revision: z.number().int().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'StoredEvent' });
export type StoredEvent = z.infer<typeof StoredEventSchema>;

/** The answer to a publish, one per event. */
export const AcknowledgementSchema = z
  .strictObject({ id: z.string(), position: z.number().int().positive(), stream: z.string(), version: z.number().int().positive(), vectorClock: VectorClockSchema })
  .meta({ id: 'Acknowledgement' });
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

export const acknowledgementOf = (e: StoredEvent): Acknowledgement => ({
  id: e.id,
  position: e.position,
  stream: e.stream,
  version: e.version,
  vectorClock: e.vectorClock,
});

/** Does `type` match a pattern with `*` wildcards (`reading.*`, `*`)? */
export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === type;
  let re = wildcardPatterns.get(pattern);
  if (!re) {
    if (wildcardPatterns.size >= MAX_CACHED_PATTERNS) wildcardPatterns.clear();
    re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    wildcardPatterns.set(pattern, re);
  }
  return re.test(type);
}

/** Compiled wildcard patterns: a flow matches every event against the same few. */
const wildcardPatterns = new Map<string, RegExp>();
const MAX_CACHED_PATTERNS = 1000;

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A stored event as a structured-mode CloudEvent 1.0, Causeway's attributes as lower-case extensions. */
export function toCloudEvent(event: StoredEvent): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    ...(event.subject !== null ? { subject: event.subject } : {}),
    datacontenttype: event.datacontenttype ?? 'application/json',
    data: event.data,
    stream: event.stream,
    process: event.process,
    vectorclock: serialize(event.vectorClock),
    correlationid: event.correlationId,
    ...(event.causationId !== null ? { causationid: event.causationId } : {}),
  };
}
