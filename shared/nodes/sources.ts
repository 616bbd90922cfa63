import { z } from 'zod';
import { defineNode } from './define.js';
import { eventType, milliseconds, mqttTopicFilter, mqttUrl, qos, typePattern } from './fields.js';

export const httpSource = defineNode({
  type: 'http',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({
    types: z.array(typePattern).min(1).default(['*']),
  }),
  palette: { label: 'HTTP in', help: 'Events published to /api/events whose type matches enter the flow.' },
});

export const mqttSource = defineNode({
  type: 'mqtt',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({
    url: mqttUrl,
    topic: mqttTopicFilter,
    qos,
    type: eventType.default('mqtt.message'),
    deviceField: z.string().max(128).default('deviceId'),
  }),
  palette: {
    label: 'MQTT in',
    help: 'Subscribes to a topic filter; the device (the wildcard level of the topic, or the payload field) becomes the process.',
  },
});

export const timerSource = defineNode({
  type: 'timer',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({
    intervalMs: milliseconds(10, 86_400_000, 1000),
    type: eventType.default('tick'),
    data: z.unknown().default({}),
  }),
  palette: { label: 'Timer', help: 'Emits an event every interval.' },
});

export const simulatorSource = defineNode({
  type: 'simulator',
  kind: 'source',
  behaviour: 'produce',
  inputs: [],
  config: z.object({
    devices: z.number().int().min(1).max(1000).default(8),
    intervalMs: milliseconds(1, 3_600_000, 500),
    type: eventType.default('reading.recorded'),
    prefix: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/).default('sensor'),
    field: z.string().min(1).max(64).default('t'),
    model: z
      .object({
        base: z.number().finite().default(4),
        noise: z.number().finite().nonnegative().default(0.5),
        spikeChance: z.number().min(0).max(1).default(0.05),
        spikeSize: z.number().finite().default(6),
      })
      .default({ base: 4, noise: 0.5, spikeChance: 0.05, spikeSize: 6 }),
    seed: z.number().int().default(1),
  }),
  palette: {
    label: 'Simulator',
    help: 'N simulated devices, each its own process with its own clock, emitting readings around a base value.',
  },
});
