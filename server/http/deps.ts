/**
 * What the HTTP layer is built from — the running engine and store, the configuration, metrics and logs — and what
 * its middleware sets on every request: the caller and the hub of the live streams.
 */
import type { ClusterAnswer } from '../../shared/api/cluster.js';
import type { Config, Role } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Engine } from '../runtime/engine.js';
import type { EventStore } from '../store/index.js';
import type { SseHub } from './sse-hub.js';

/** Who is calling (see auth.ts). */
export interface Principal {
  /** The token's name (recorded as a revision's author); null without tokens. */
  name: string | null;
  role: Role;
}

export interface LiveTiming {
  /** Comment lines on idle streams, so proxies and clients know the stream is alive (ms). */
  heartbeatMs: number;
  /** How often a flow's live stream sends node status (ms). */
  statusMs: number;
}

export interface AppDeps {
  engine: Engine;
  store: EventStore;
  config: Config;
  /** Null when metrics are off (`server.metrics = false`): nothing is counted and `/metrics` is not served. */
  metrics: Metrics | null;
  logger: Logger;
  /** Reported by /api/health. */
  version?: string;
  /** The cluster this replica belongs to; absent for a process alone. */
  cluster?: { describe(): Promise<ClusterAnswer> };
  live?: Partial<LiveTiming>;
  /** Aborted when the server shuts down: open streams end so connections can close. */
  shutdown?: AbortSignal;
  /** Registers work the shutdown waits for before the store closes (replays saving their last status). */
  beforeClose?: (settle: () => Promise<void>) => void;
}

/** The variables the middleware sets on every request. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    /** The fan-out and caps every live stream of the app shares. */
    sse: SseHub;
  };
}
