/**
 * CloudEvents over HTTP, the three modes of `POST /api/events`, turned into the engine's publish inputs. Pure:
 * takes the content type, the headers and the body bytes; every problem is a 400 naming the field
 * (`type`, `2.source`, `ce-id`).
 */
import type { VectorClock } from '../../shared/clock.js';
import { CloudEventBatchParser, CloudEventParser, VectorClockSchema, type CloudEvent } from '../../shared/event.js';
import { ProcessNameSchema } from '../../shared/flow.js';
import type { PublishInput } from '../runtime/engine.js';
import type { StoreError } from '../store/index.js';
import { depthExceeds, decodeText, parseJsonText } from './body.js';
import { ApiError, badRequest, parseWith } from './errors.js';

export type PublishMode = 'structured' | 'batch' | 'binary';

export const STRUCTURED = 'application/cloudevents+json';
export const BATCH = 'application/cloudevents-batch+json';

/** Attributes Causeway maps to envelope fields; any other attribute is kept in the event's metadata. */
const KNOWN = new Set([
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'data', 'data_base64',
  'correlationid', 'causationid', 'process', 'vectorclock', 'stream', 'expectedversion',
]);

export const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const isJsonType = (type: string) => type === 'application/json' || type === 'text/json' || type.endsWith('+json');

/**
 * The mode a request uses: `ce-specversion` makes it binary; otherwise its content type decides. Plain
 * `application/json` is read as structured (an object) or batch (an array), for the convenience of scripts.
 */
export function modeOf(contentType: string | undefined, headers: Record<string, string>, body: Uint8Array): PublishMode {
  if (headers['ce-specversion'] !== undefined) return 'binary';
  const type = mediaType(contentType);
  if (type === STRUCTURED) return 'structured';
  if (type === BATCH) return 'batch';
  if (type === 'application/json') return firstNonSpace(body) === 0x5b ? 'batch' : 'structured';
  throw new ApiError(415, 'unsupported_media_type', `Content-Type ${JSON.stringify(type || '(none)')} is not a CloudEvents mode: use ${STRUCTURED}, ${BATCH}, or ce-* headers`, [
    { path: 'Content-Type', message: `expected ${STRUCTURED}, ${BATCH} or binary mode (ce-specversion header)` },
  ]);
}

function firstNonSpace(body: Uint8Array): number | undefined {
  for (const b of body) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}

export interface ParseLimits {
  maxDataDepth: number;
}

/** Reads a publish request into publish inputs (validated). */
export function parsePublish(mode: PublishMode, contentType: string | undefined, headers: Record<string, string>, body: Uint8Array, limits: ParseLimits): PublishInput[] {
  switch (mode) {
    case 'structured':
      return [toPublishInput(parseWith(CloudEventParser, parseJsonText(decodeText(body)), [], 'event'), [], limits)];
    case 'batch': {
      const events = parseWith(CloudEventBatchParser, parseJsonText(decodeText(body)), [], 'batch');
      return events.map((e, i) => toPublishInput(e, [i], limits));
    }
    case 'binary':
      return [toPublishInput(binaryEvent(contentType, headers, body), [], limits, 'ce-')];
  }
}

/** A binary-mode event: attributes from `ce-*` headers, the body as its data. */
export function binaryEvent(contentType: string | undefined, headers: Record<string, string>, body: Uint8Array): CloudEvent {
  // No prototype: a `ce-__proto__` header becomes an attribute the schema refuses, not a no-op assignment.
  const attributes: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (key.startsWith('ce-') && key.length > 3) attributes[key.slice(3)] = safeDecodeHeader(value);
  }
  if (attributes.data !== undefined || attributes.data_base64 !== undefined) {
    throw badRequest('binary mode carries data in the body, not in a ce-data header', [{ path: 'ce-data', message: 'not allowed in binary mode' }]);
  }
  const type = mediaType(contentType);
  if (type !== '') attributes.datacontenttype = contentType!.trim();
  if (body.byteLength > 0) {
    if (isJsonType(type)) attributes.data = parseJsonText(decodeText(body));
    else if (type === '' || type.startsWith('text/') || type === 'application/xml') attributes.data = decodeText(body);
    else attributes.data_base64 = Buffer.from(body).toString('base64');
  }
  const result = CloudEventParser.safeParse(attributes);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? `ce-${String(issue.path[0])}` : 'ce-specversion';
    const details = result.error.issues.slice(0, 50).map((i) => ({ path: i.path.length > 0 ? `ce-${String(i.path[0])}` : '', message: i.message }));
    throw new ApiError(400, 'validation_failed', `${field}: ${issue?.message ?? 'invalid'}`, details);
  }
  return result.data;
}

/** Header values are ASCII; CloudEvents percent-encodes the rest. */
function safeDecodeHeader(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Where an event's field is: under its batch index (`prefix`), or its header in binary mode. */
interface FieldPlace {
  prefix: (string | number)[];
  headerPrefix: string;
}

/** The 400 for a field (no closure is made per event for this: a bad field is the rare case). */
function fieldError(place: FieldPlace, field: string, message: string): ApiError {
  const path = place.headerPrefix ? `${place.headerPrefix}${field}` : [...place.prefix, field].join('.');
  return new ApiError(400, 'validation_failed', `${path}: ${message}`, [{ path, message }]);
}

/** A validated CloudEvent as the engine's publish input. */
export function toPublishInput(event: CloudEvent, prefix: (string | number)[], limits: ParseLimits, headerPrefix = ''): PublishInput {
  const place: FieldPlace = { prefix, headerPrefix };

  if (event.process !== undefined && !ProcessNameSchema.safeParse(event.process).success) {
    throw fieldError(place, 'process', 'letters, digits and _ . : - only, at most 128 characters');
  }
  let vectorClock: VectorClock | undefined;
  if (event.vectorclock !== undefined) {
    vectorClock = VectorClockSchema.parse(JSON.parse(event.vectorclock));
    for (const [process, counter] of Object.entries(vectorClock)) {
      if (!ProcessNameSchema.safeParse(process).success) throw fieldError(place, 'vectorclock', `process name ${JSON.stringify(process.slice(0, 64))} is not valid`);
      if (!Number.isSafeInteger(counter)) throw fieldError(place, 'vectorclock', `the counter of ${process} is too large`);
    }
  }
  if (event.expectedversion !== undefined && !Number.isSafeInteger(event.expectedversion)) throw fieldError(place, 'expectedversion', 'too large');

  const metadata: Record<string, unknown> = {};
  for (const key in event) if (!KNOWN.has(key)) metadata[key] = event[key];

  let data: unknown = event.data;
  if (event.data_base64 !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(event.data_base64)) throw fieldError(place, 'data_base64', 'not valid base64');
    data = event.data_base64;
    metadata.dataencoding = 'base64';
  }
  if (data !== undefined && depthExceeds(data, limits.maxDataDepth)) throw fieldError(place, 'data', `nests deeper than ${limits.maxDataDepth} levels`);

  // One shape for every input, absent attributes undefined: cheaper than building it from optional parts.
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    time: event.time !== undefined ? new Date(event.time).toISOString() : undefined,
    subject: event.subject,
    datacontenttype: event.datacontenttype,
    data,
    stream: event.stream,
    expectedVersion: event.expectedversion,
    process: event.process,
    vectorClock,
    correlationId: event.correlationid,
    causationId: event.causationid,
    metadata,
  };
}

/** Event fields whose CloudEvent attribute has another name; the rest keep theirs (`metadata.x` is attribute `x`). */
const ATTRIBUTE_OF = new Map([
  ['correlationId', 'correlationid'],
  ['causationId', 'causationid'],
  ['vectorClock', 'vectorclock'],
  ['expectedVersion', 'expectedversion'],
]);

/**
 * The store's refusal of a published event (a StoreError `invalid_event`: a NUL character, an unpaired surrogate, a
 * name too long to index) as a 400 naming the attribute as the client sent it: `data.name`, `2.subject` in a batch,
 * `ce-subject` in binary mode. A stream the client did not send is taken from the subject or the source: that
 * attribute is named.
 */
export function publishRefusal(error: StoreError, inputs: PublishInput[], mode: PublishMode): ApiError {
  const { index, field, problem } = error.details as { index?: unknown; field?: unknown; problem?: unknown };
  if (typeof index !== 'number' || typeof field !== 'string' || typeof problem !== 'string' || !inputs[index]) {
    return badRequest(error.message, [{ path: '', message: error.message }], 'validation_failed');
  }
  const input = inputs[index];
  const [head = '', rest = ''] = /^([A-Za-z]+)(.*)$/.exec(field)?.slice(1) ?? [field, ''];
  let attribute: string;
  let message = problem;
  if (head === 'metadata') attribute = rest.replace(/^\./, '');
  else if (head === 'stream' && input.stream === undefined) {
    attribute = input.subject !== undefined && input.subject !== null ? 'subject' : 'source';
    message = `${problem} (the event's stream is taken from it: send a stream attribute)`;
  } else attribute = `${ATTRIBUTE_OF.get(head) ?? head}${rest}`;
  const path = mode === 'binary' ? (attribute.startsWith('data') ? attribute : `ce-${attribute}`) : mode === 'batch' ? `${index}.${attribute}` : attribute;
  return new ApiError(400, 'validation_failed', `${path}: ${message}`, [{ path, message }]);
}
