import { z } from 'zod';
import { defineNode } from './define.js';
import { eventType, milliseconds, mqttTopic, mqttUrl, qos } from './fields.js';

const none = () => [];

export const debugSink = defineNode({
  type: 'debug',
  kind: 'sink',
  behaviour: 'consume',
  inputs: ['in'],
  outputs: none,
  config: z.object({ active: z.boolean().default(true) }),
  palette: { label: 'Debug', help: "Shows the events that reach it in the editor's debug panel." },
});

export const storeSink = defineNode({
  type: 'store',
  kind: 'sink',
  behaviour: 'emit',
  inputs: ['in'],
  outputs: none,
  config: z.object({
    stream: z.string().min(1).max(256).regex(/^[A-Za-z0-9_.:/$-]+$/, 'letters, digits and _ . : / $ -'),
    type: eventType.optional(),
    expectVersion: z.boolean().default(false),
  }),
  palette: {
    label: 'Store',
    help: 'Appends each event to a named stream (with expectVersion, each append states the version it follows).',
  },
});

export const mqttPublishSink = defineNode({
  type: 'mqtt-publish',
  kind: 'sink',
  behaviour: 'consume',
  inputs: ['in'],
  outputs: none,
  config: z.object({
    url: mqttUrl,
    topic: mqttTopic,
    qos,
    retain: z.boolean().default(false),
    /** `event`: the whole event as a CloudEvent; `data`: only its data, for devices that expect plain payloads. */
    payload: z.enum(['event', 'data']).default('event'),
  }),
  palette: { label: 'MQTT out', help: 'Publishes each event (as a CloudEvent, or only its data) to a topic.' },
});

export const httpRequestSink = defineNode({
  type: 'http-request',
  kind: 'sink',
  behaviour: 'consume',
  inputs: ['in'],
  outputs: none,
  config: z.object({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    timeoutMs: milliseconds(1, 120_000, 5000),
    retries: z.number().int().min(0).max(20).default(3),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  palette: { label: 'HTTP request', help: 'Sends each event to a webhook, with timeout and retries.' },
});
