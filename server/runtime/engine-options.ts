/** What an Engine is made with, and what a deploy answers. */
import type { CompileProblem, NodeDefaults } from '../compiler/compile.js';
import type { EventStore } from '../store/index.js';
import type { UserCodePool } from './user-code/pool.js';

export interface EngineOptions {
  store: EventStore;
  /** This runtime's process name (its vector-clock entry); default `main`. */
  process?: string;
  hopLimit?: number;
  queueCapacity?: number;
  maxLag?: number;
  /** How long a publish waits for a lagging bus before it is refused (ms). */
  admitTimeoutMs?: number;
  /** Where the flows' user code runs; default one pool shared by the process. */
  userCode?: UserCodePool;
  /** The most events one input may derive at one node. */
  maxDerivedPerInput?: number;
  /** The most inputs a node takes from its mailbox at once (default 256). */
  batchSize?: number;
  /** Keys an actor node keeps in memory at most; beyond them the least recently used are passivated (default: no bound). */
  maxLiveKeys?: number;
  /** The most wires one output port of a deployed flow may have (default: no bound). */
  maxHandlersPerPort?: number;
  /** Config values, by node type, for the fields a node's config leaves out (the server's actor defaults). */
  nodeDefaults?: NodeDefaults;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export type DeployResult =
  | { ok: true; deployedRevision: number; warnings: CompileProblem[] }
  | { ok: false; errors: CompileProblem[]; warnings: CompileProblem[] };
