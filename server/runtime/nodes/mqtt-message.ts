/**
 * An incoming MQTT message as the event a source produces: the payload (JSON, else text) is the data, the
 * device (a payload field, else the wildcard level of the topic) is the process, and a clock the device
 * stamped (`vectorclock` user property or payload field) is carried along to be merged. Pure: no I/O.
 * What no store could keep is mapped so that the message is still stored whole (see storable.ts): JSON holding a
 * NUL character stays text, text holding one is stored as base64, and a device name no store keeps gives way to the
 * topic's.
 */
import type { VectorClock } from '../../../shared/clock.js';
import { merge } from '../../clocks.js';
import { VectorClockSchema } from '../../../shared/event.js';
import { NAME_LIMIT, nameProblem, textProblem, unstorableIn } from '../../../shared/storable.js';
import type { Produced } from '../node.js';

export interface MqttMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain?: boolean;
  /** MQTT v5 user properties; a name may repeat. */
  userProperties?: Record<string, string | string[]>;
}

export interface MqttSourceSettings {
  /** The subscription's topic filter (`plant/+/temp`). */
  topic: string;
  type: string;
  /** Payload field naming the device. */
  deviceField: string;
}

export interface MappedMessage {
  produced: Produced;
  /** Things the message got wrong that did not stop it being stored (a malformed clock). */
  warnings: string[];
}

export const CLOCK_PROPERTY = 'vectorclock';
const MAX_PROCESS_LENGTH = NAME_LIMIT;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The payload as data: parsed JSON, else the text, else (not UTF-8) base64. JSON a store could not keep (a string
 * with a NUL character, nesting past the limit) stays text, and text with a NUL character goes as base64, so the
 * payload is stored exactly.
 */
export function payloadData(payload: Uint8Array): { data: unknown; encoding: 'json' | 'text' | 'base64' } {
  if (payload.length === 0) return { data: null, encoding: 'json' };
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { data: Buffer.from(payload).toString('base64'), encoding: 'base64' };
  }
  // Strict UTF-8 has no unpaired surrogates: a NUL character is all a store could refuse in the text.
  if (textProblem(text) !== null) return { data: Buffer.from(payload).toString('base64'), encoding: 'base64' };
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch {
    return { data: text, encoding: 'text' };
  }
  return unstorableIn(data, 'data') === null ? { data, encoding: 'json' } : { data: text, encoding: 'text' };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The topic level that fills the filter's first wildcard (`+`, or the first level under `#`). */
export function wildcardLevel(topic: string, filter: string): string | undefined {
  const filterLevels = filter.split('/');
  const index = filterLevels.findIndex((level) => level === '+' || level === '#');
  if (index < 0) return undefined;
  const level = topic.split('/')[index];
  return level === undefined || level === '' ? undefined : level;
}

/**
 * The device a message comes from: the payload field when present and a name every store keeps, else the topic's
 * wildcard level (cut to MAX_PROCESS_LENGTH, never inside a surrogate pair).
 */
export function deviceOf(topic: string, filter: string, data: unknown, deviceField: string): string | undefined {
  const field = isRecord(data) ? data[deviceField] : undefined;
  const fromPayload = typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field)) ? String(field) : undefined;
  const device = fromPayload !== undefined && fromPayload.length > 0 && nameProblem(fromPayload) === null ? fromPayload : wildcardLevel(topic, filter);
  if (device === undefined || device.length <= MAX_PROCESS_LENGTH) return device;
  const last = device.charCodeAt(MAX_PROCESS_LENGTH - 1);
  return device.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_PROCESS_LENGTH - 1 : MAX_PROCESS_LENGTH);
}

/** A clock given as an object or as JSON text; an error message when it is neither. */
export function parseClock(value: unknown): { clock: VectorClock } | { error: string } {
  let candidate = value;
  if (typeof value === 'string') {
    try {
      candidate = JSON.parse(value) as unknown;
    } catch {
      return { error: 'is not JSON' };
    }
  }
  const checked = VectorClockSchema.safeParse(candidate);
  return checked.success ? { clock: checked.data } : { error: 'must map process names to non-negative integers' };
}

/** The clocks a message carries, merged: user properties (each value) and the payload field. */
function carriedClock(message: MqttMessage, data: unknown, warnings: string[]): VectorClock | undefined {
  const sources: { where: string; value: unknown }[] = [];
  const property = message.userProperties?.[CLOCK_PROPERTY];
  for (const value of property === undefined ? [] : Array.isArray(property) ? property : [property]) {
    sources.push({ where: `user property ${CLOCK_PROPERTY}`, value });
  }
  if (isRecord(data) && CLOCK_PROPERTY in data) sources.push({ where: `payload field ${CLOCK_PROPERTY}`, value: data[CLOCK_PROPERTY] });

  let clock: VectorClock | undefined;
  for (const { where, value } of sources) {
    const parsed = parseClock(value);
    if ('error' in parsed) warnings.push(`${where} ${parsed.error}; ignored`);
    else clock = clock === undefined ? parsed.clock : merge(clock, parsed.clock);
  }
  return clock;
}

/** The payload without the clock field: the clock is the event's, not its data. */
function withoutClock(data: unknown): unknown {
  if (!isRecord(data) || !(CLOCK_PROPERTY in data)) return data;
  const { [CLOCK_PROPERTY]: _clock, ...rest } = data;
  return rest;
}

export function mapMessage(message: MqttMessage, settings: MqttSourceSettings): MappedMessage {
  const warnings: string[] = [];
  const { data, encoding } = payloadData(message.payload);
  const vectorClock = carriedClock(message, data, warnings);
  const process = deviceOf(message.topic, settings.topic, data, settings.deviceField);
  const named = isRecord(data) ? data[settings.deviceField] : undefined;
  const problem = typeof named === 'string' && named.length > 0 ? nameProblem(named) : null;
  if (problem !== null) warnings.push(`payload field ${settings.deviceField} ${problem}, so it cannot name the device; the topic does`);
  const produced: Produced = {
    type: settings.type,
    data: withoutClock(data),
    source: `mqtt://${message.topic}`,
    metadata: { mqtt: { topic: message.topic, qos: message.qos, retain: message.retain ?? false, encoding } },
    ...(process !== undefined ? { process } : {}),
    ...(vectorClock !== undefined ? { vectorClock } : {}),
  };
  return { produced, warnings };
}
