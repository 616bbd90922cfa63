/** The body of `POST /api/replays`, validated field by field. */
import { z } from 'zod';
import { TimestampSchema } from '../../shared/event.js';

const text = z.string().min(1, 'must not be empty').max(1024, 'at most 1024 characters');

export const ReplayRequestSchema = z
  .strictObject({
    flowId: z.string().min(1, 'must not be empty').max(256, 'at most 256 characters'),
    revision: z.number().int('must be an integer').positive('must be at least 1').optional(),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
    filter: z
      .strictObject({ type: text.optional(), source: text.optional(), process: text.optional(), correlationId: text.optional() })
      .optional(),
    mode: z.enum(['dry-run', 'live'], { error: 'must be "dry-run" or "live"' }).default('dry-run'),
    speed: z
      .union([z.literal('max'), z.number().positive().max(10_000)], { error: 'must be "max" or a number from 0 (exclusive) to 10000' })
      .default('max'),
  })
  .superRefine((body, ctx) => {
    if (body.from && body.to && Date.parse(body.from) >= Date.parse(body.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    }
  });

export type ReplayRequestBody = z.output<typeof ReplayRequestSchema>;
