import { z } from 'zod';

/** A JSONata expression, evaluated against the whole event (`data.t > 8`, `source`, `type`). */
export const jsonata = (description: string) =>
  z.string().min(1, 'an expression is required').max(10_000).meta({ language: 'jsonata', description });

/** The body of a JavaScript function run in the sandbox. */
export const javascript = (description: string) =>
  z.string().min(1, 'code is required').max(100_000).meta({ language: 'javascript', description });

/** An event type with `*` wildcards. */
export const typePattern = z.string().min(1).max(256).regex(/^[A-Za-z0-9_.*:/-]+$/, 'letters, digits, . _ : / - and *');
export const eventType = z.string().min(1).max(256).regex(/^[A-Za-z0-9_.:/-]+$/, 'letters, digits and . _ : / -');

export const mqttUrl = z
  .string()
  .regex(/^(mqtts?|wss?|tcp):\/\/[^\s]+$/, 'an MQTT URL such as mqtt://127.0.0.1:1883')
  .default('mqtt://127.0.0.1:1883');

export const mqttTopicFilter = z
  .string()
  .min(1)
  .max(1024)
  .refine((t) => t.split('/').every((level, i, all) => (level.includes('#') ? level === '#' && i === all.length - 1 : !level.includes('+') || level === '+')), {
    message: '+ must fill a whole level and # must be the last level',
  });

export const mqttTopic = z
  .string()
  .min(1)
  .max(1024)
  .refine((t) => !t.includes('+') && !t.includes('#'), { message: 'a topic to publish to has no wildcards' });

export const qos = z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1);
export const milliseconds = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
