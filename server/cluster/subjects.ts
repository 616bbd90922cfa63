/**
 * The NATS subjects of one cluster and what travels on them. Every subject starts with `causeway.<cluster>.`, the
 * cluster's name being made once per database: two clusters on one NATS never hear each other. Each message is
 * parsed by its schema on receipt: anything else published on a subject is ignored, never trusted.
 */
import { z } from 'zod';
import { FlowStatusSchema } from '../../shared/api/flows.js';
import { StoredEventSchema } from '../../shared/event.js';

/** Deploys, stops, joins and hand-overs: a replica that hears one runs a round at once. */
export const ControlMessageSchema = z.union([
  z.object({ kind: z.literal('changed'), flowId: z.string(), by: z.string() }),
  z.object({ kind: z.enum(['joined', 'left', 'released']), by: z.string() }),
]);
export type ControlMessage = z.infer<typeof ControlMessageSchema>;

/** The status of the flows a replica runs, sent every second. */
export const StatusMessageSchema = z.object({ process: z.string(), flows: z.record(z.string(), FlowStatusSchema) });
export type StatusMessage = z.infer<typeof StatusMessageSchema>;

/** Debug sink output of a replica's runs, relayed to every replica's live flow streams. */
export const DebugRelaySchema = z.object({ process: z.string(), flowId: z.string(), nodeId: z.string(), event: StoredEventSchema });

export function subjectsOf(cluster: string) {
  const prefix = `causeway.${cluster}`;
  return {
    control: `${prefix}.control`,
    status: `${prefix}.status`,
    debug: `${prefix}.debug`,
  };
}
