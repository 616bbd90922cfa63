/**
 * The seed's configuration file, read as Causeway's: its sections `[event_bus]`, `[event_store]`, `[actor_system]`
 * and its snake_case keys of `[processing]` are each moved onto the Causeway key that means the same here
 * (`SEED_KEYS`), before anything else reads the file. A file that sets a seed key and its Causeway key is refused,
 * naming both (`event_bus.buffer_size and bus.queueCapacity both set`), so a file never means two things. The
 * values are checked by the same schemas as the Causeway keys' (config-values.ts), and refused under the seed's name.
 */
import { z } from 'zod';
import { ConfigError, flag, nonEmptyString, positiveInt, positiveUpTo, processName, strategy } from './config-values.js';

/** Each seed key and the Causeway key it sets (docs/operations.md explains each; config.test.ts holds the two together). */
export const SEED_KEYS = {
  'event_bus.node_id': 'server.process',
  'event_bus.buffer_size': 'bus.queueCapacity',
  'event_bus.max_handlers_per_type': 'bus.maxHandlersPerPort',
  'event_bus.metrics_enabled': 'server.metrics',
  'event_store.type': 'store.url',
  'event_store.connection_string': 'store.url',
  'event_store.connection_pool_size': 'store.poolSize',
  'event_store.batch_size': 'store.maxGroupEvents',
  'event_store.snapshot_frequency': 'actors.snapshotEvery',
  'actor_system.max_actors': 'actors.maxLiveKeys',
  'actor_system.actor_timeout_ms': 'actors.timeoutMs',
  'actor_system.supervisor_strategy': 'actors.strategy',
  'processing.pipeline_parallelism': 'processing.partitions',
  'processing.batch_processing_size': 'processing.batchSize',
  'processing.processing_timeout_ms': 'userCode.expressionTimeoutMs',
} as const;

/** Bounds a seed key shares with its Causeway key. */
export const ACTOR_TIMEOUT_MS = positiveUpTo(10_000);
export const SNAPSHOT_EVERY = positiveUpTo(1_000_000);
export const PARTITIONS = positiveUpTo(4096);

export const STORE_TYPES = ['sqlite', 'postgres', 'memory'] as const;

/** The seed's own sections, each key optional and unknown keys refused, as Causeway's are. */
export const SEED_SECTIONS = {
  event_bus: z
    .strictObject({
      node_id: processName.optional(),
      buffer_size: positiveInt.optional(),
      max_handlers_per_type: positiveInt.optional(),
      metrics_enabled: flag.optional(),
    })
    .optional(),
  event_store: z
    .strictObject({
      type: z.enum(STORE_TYPES, { error: `expected one of ${STORE_TYPES.join(', ')}` }).optional(),
      connection_string: nonEmptyString.optional(),
      connection_pool_size: positiveInt.optional(),
      batch_size: positiveInt.optional(),
      snapshot_frequency: SNAPSHOT_EVERY.optional(),
    })
    .optional(),
  actor_system: z
    .strictObject({
      max_actors: positiveInt.optional(),
      actor_timeout_ms: ACTOR_TIMEOUT_MS.optional(),
      supervisor_strategy: strategy.optional(),
    })
    .optional(),
};

/** The seed's keys of `[processing]`, beside Causeway's own in that section. */
export const SEED_PROCESSING_KEYS = {
  pipeline_parallelism: PARTITIONS.optional(),
  batch_processing_size: positiveInt.optional(),
  processing_timeout_ms: positiveInt.optional(),
};

type Section = Record<string, unknown> | undefined;
/** A parsed file, as far as this module reads it: sections of keys. */
type SectionsOf<F> = { [S in keyof F]?: Section };

/** Causeway keys a seed key may not be set beside, other than the one it sets. */
const ALSO_EXCLUDES: Record<string, string[]> = { 'event_bus.node_id': ['processing.process'] };

/** The two seed keys that together say where the store is. */
const STORE_LOCATION = new Set<string>(['event_store.type', 'event_store.connection_string']);

/**
 * A Causeway key set by a seed key (or by two, `from` naming both). No value: the Causeway key keeps its default, yet
 * counts as set (`type = "sqlite"` alone names the default file, and is refused beside `store.url` all the same).
 */
interface SeedSetting {
  from: string;
  to: string;
  value: unknown;
}

/**
 * The file with every seed key moved onto its Causeway key, the seed's sections gone. Throws a ConfigError
 * (`invalid_setting`) naming both keys when a seed key and its Causeway key are both set, and naming both of
 * `event_store.type` and `event_store.connection_string` when they contradict each other. `where` prefixes messages
 * (the file's path).
 */
export function withSeedKeys<F extends SectionsOf<F>>(file: F, where = ''): F {
  const sections = file as Record<string, Section>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, section] of Object.entries(sections)) {
    if (section === undefined || name in SEED_SECTIONS) continue;
    out[name] = Object.fromEntries(Object.entries(section).filter(([key]) => !(name === 'processing' && key in SEED_PROCESSING_KEYS)));
  }
  for (const { from, to, value } of seedSettings(sections, where)) {
    for (const key of [to, ...(ALSO_EXCLUDES[from] ?? [])]) {
      if (valueAt(sections, key) !== undefined) throw new ConfigError('invalid_setting', `${where}${from} and ${key} both set`);
    }
    if (value === undefined) continue;
    const [section, name] = to.split('.') as [string, string];
    out[section] = { ...out[section], [name]: value };
  }
  return out as F;
}

function seedSettings(sections: Record<string, Section>, where: string): SeedSetting[] {
  const settings: SeedSetting[] = [];
  for (const [from, to] of Object.entries(SEED_KEYS)) {
    const value = valueAt(sections, from);
    if (value !== undefined && !STORE_LOCATION.has(from)) settings.push({ from, to, value });
  }
  const { type, connection_string: connection } = (sections.event_store ?? {}) as { type?: StoreType; connection_string?: string };
  if (type !== undefined || connection !== undefined) {
    const from = [type === undefined ? null : 'event_store.type', connection === undefined ? null : 'event_store.connection_string'].filter((k) => k !== null).join(' and ');
    settings.push({ from, to: 'store.url', value: storeUrlOf(type, connection, where) });
  }
  return settings;
}

type StoreType = (typeof STORE_TYPES)[number];

/**
 * The store URL the seed's `type` and `connection_string` name: a PostgreSQL URL as it is, `memory:`, a SQLite URL
 * as it is, or a path as `sqlite:<path>`; undefined for `type = "sqlite"` alone (the default file).
 */
function storeUrlOf(type: StoreType | undefined, connection: string | undefined, where = ''): string | undefined {
  if (connection === undefined) {
    if (type === 'postgres') throw new ConfigError('invalid_setting', `${where}event_store.type = "postgres" needs event_store.connection_string (a postgres:// URL)`);
    return type === 'memory' ? 'memory:' : undefined;
  }
  const named = kindOf(connection);
  if (named === null) throw new ConfigError('invalid_setting', `${where}event_store.connection_string: expected a file path, sqlite:<path>, memory: or postgres://…`);
  if (type !== undefined && type !== named.kind) {
    throw new ConfigError('invalid_setting', `${where}event_store.type = "${type}" contradicts event_store.connection_string, which names a ${named.kind} store`);
  }
  return named.url;
}

function kindOf(connection: string): { kind: StoreType; url: string } | null {
  if (/^postgres(ql)?:\/\//.test(connection)) return { kind: 'postgres', url: connection };
  if (connection === 'memory:') return { kind: 'memory', url: connection };
  if (connection.startsWith('sqlite:')) return connection.length > 'sqlite:'.length ? { kind: 'sqlite', url: connection } : null;
  // Any other scheme (mysql://, http://) is not a path.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(connection)) return null;
  return { kind: 'sqlite', url: `sqlite:${connection}` };
}

function valueAt(sections: Record<string, Section>, dotted: string): unknown {
  const [section, key] = dotted.split('.') as [string, string];
  return sections[section]?.[key];
}
