/**
 * The NATS subjects of one cluster and what travels on them. Every subject starts with `causeway.<cluster>.`, the
 * cluster's name being made once per database: two clusters on one NATS never hear each other.
 */
import type { FlowStatus } from '../../shared/api/flows.js';

/** Deploys, stops, joins and hand-overs: a replica that hears one runs a round at once. */
export type ControlMessage =
  | { kind: 'changed'; flowId: string; by: string }
  | { kind: 'joined' | 'left' | 'released'; by: string };

/** The status of the flows a replica runs, sent every second. */
export interface StatusMessage {
  process: string;
  flows: Record<string, FlowStatus>;
}

export function subjectsOf(cluster: string) {
  const prefix = `causeway.${cluster}`;
  return {
    control: `${prefix}.control`,
    status: `${prefix}.status`,
    /** Debug sink output, relayed to every replica's live flow streams. */
    debug: `${prefix}.debug`,
  };
}
