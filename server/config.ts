/**
 * Configuration: defaults, then an optional `causeway.toml` (sections server, bus, store, processing, actors, userCode,
 * imports, http, replays, cluster, mqtt — and the seed's event_bus, event_store, actor_system, read as these by
 * config-seed.ts), then the environment (PORT, HOST, DATABASE_URL, NATS_URL, MQTT_URL, CAUSEWAY_TOKENS,
 * CAUSEWAY_PROCESS), then the command line (--port, --host, --no-demo, --config). Everything is validated with zod; a bad value is a ConfigError whose
 * message names the key (`bus.maxLag: expected a positive integer`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { ACTOR_TIMEOUT_MS, PARTITIONS, SEED_PROCESSING_KEYS, SEED_SECTIONS, SNAPSHOT_EVERY, withSeedKeys } from './config-seed.js';
import { ConfigError, brokerUrl, flag, nonEmptyString, port, positiveInt, positiveUpTo, processName, storeUrl, strategy, type Strategy } from './config-values.js';

export { ConfigError, isConfigError, type ConfigErrorCode } from './config-values.js';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Token {
  name: string;
  role: Role;
  secret: string;
}

export interface Config {
  host: string;
  port: number;
  /** This runtime's process name: its vector-clock entry. */
  process: string;
  store: {
    url: string;
    /** PostgreSQL: connections in the pool. */
    poolSize: number;
    /** The most events one append transaction (group commit) holds; null: each store's own bound. */
    maxGroupEvents: number | null;
    /** Snapshots kept per key, for replays to start actors from the state they had. */
    snapshotHistory: number;
  };
  /** Serve `/metrics` and collect what it reports. */
  metrics: boolean;
  bus: {
    queueCapacity: number;
    /** The most wires one output port of a deployed flow may have: the handlers its events go to. null: no bound. */
    maxHandlersPerPort: number | null;
    maxLag: number;
    hopLimit: number;
    /** How long a publish waits for a lagging bus before it answers 503. */
    admitTimeoutMs: number;
    /** Largest request body, except event batches (bytes). */
    bodyLimitBytes: number;
    /** Largest `application/cloudevents-batch+json` body, and largest flow document (bytes). */
    batchBodyLimitBytes: number;
  };
  processing: {
    /** Deepest nesting accepted in an event's data. */
    maxDataDepth: number;
    /** Events a query may return at most. */
    maxQueryLimit: number;
    /** Partitions each deployed flow is split into in a cluster. */
    partitions: number;
    /** The most inputs a node takes from its mailbox at once. */
    batchSize: number;
  };
  /** Defaults of actor nodes whose config does not set them, and how many keys each keeps in memory. */
  actors: {
    /** Per-message time limit (ms). */
    timeoutMs: number;
    snapshotEvery: number;
    /** Supervision after a failing reducer. */
    strategy: Strategy;
    /** Keys an actor node holds in memory at most; the least recently used beyond it are passivated. null: no bound. */
    maxLiveKeys: number | null;
  };
  /** Where and within what user code runs (JSONata beyond the direct path, function handlers, actor reducers). */
  userCode: {
    /** Threads user code runs in. */
    threads: number;
    /** How long one JSONata evaluation may run (ms). */
    expressionTimeoutMs: number;
    /** The heap of each user-code thread (MB). */
    heapMb: number;
    /** The largest value user code may return, as JSON (bytes). */
    maxResultBytes: number;
    /** The most events one input may derive at one node. */
    maxDerivedPerInput: number;
  };
  imports: {
    /** How long parsing one ShiViz log may take before it is stopped and answered 400 (ms). */
    parseTimeoutMs: number;
    /** The heap a ShiViz parse may use before it is stopped and answered 413 (MB). */
    parseMemoryMb: number;
  };
  /** The HTTP server's bounds on connections and live streams. */
  http: HttpLimits;
  replays: {
    /** Replays this process runs at once; one more is refused (429) until one ends or is cancelled. */
    maxRunning: number;
    /** Replays of one flow this process runs at once. */
    maxRunningPerFlow: number;
  };
  /**
   * The NATS JetStream replicas share (`NATS_URL`, `[bus] natsUrl`). Set, with a PostgreSQL store, this process joins
   * the cluster of every process on the same database; unset, it runs alone and refuses a second process.
   */
  natsUrl: string | null;
  cluster: {
    /** How long a replica's leases last without renewal: the longest a dead replica's flows wait for a new owner (ms). */
    leaseMs: number;
  };
  mqttUrl: string | null;
  tokens: Token[];
  /** Create and deploy the demo flow on first start. */
  demo: boolean;
  /** Where the built web app lives (served if present). */
  webDist: string;
  /** The file read, if any. */
  configFile: string | null;
}

export interface HttpLimits {
  /** Time a client has to send a request's headers (ms). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body (ms); answers (live streams) are not bound by it. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (ms). */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed as they arrive. */
  maxConnections: number;
  /** Open live streams (SSE) at most, in all. */
  maxStreams: number;
  /** Open live streams at most per token (per client address without tokens). */
  maxStreamsPerClient: number;
  /** How far a live stream's client may fall behind (bytes not yet taken by its socket) before it is told and closed. */
  streamBufferBytes: number;
}


/**
 * The file's shape: every key optional, unknown keys refused (a typo must not pass silently). docs/operations.md lists
 * every key (config.test.ts holds it to that).
 */
export const FileSchema = z.strictObject({
  server: z
    .strictObject({ host: nonEmptyString.optional(), port: port.optional(), process: processName.optional(), webDist: nonEmptyString.optional(), metrics: flag.optional() })
    .optional(),
  bus: z
    .strictObject({
      queueCapacity: positiveInt.optional(),
      maxHandlersPerPort: positiveInt.optional(),
      maxLag: positiveInt.optional(),
      hopLimit: positiveInt.optional(),
      admitTimeoutMs: positiveInt.optional(),
      bodyLimitBytes: positiveInt.optional(),
      batchBodyLimitBytes: positiveInt.optional(),
      natsUrl: brokerUrl(['nats', 'tls']).optional(),
    })
    .optional(),
  store: z
    .strictObject({ url: storeUrl.optional(), poolSize: positiveUpTo(1000).optional(), maxGroupEvents: positiveInt.optional(), snapshotHistory: positiveUpTo(100_000).optional() })
    .optional(),
  processing: z
    .strictObject({
      process: processName.optional(),
      maxDataDepth: positiveInt.optional(),
      maxQueryLimit: positiveUpTo(10_000).optional(),
      partitions: PARTITIONS.optional(),
      batchSize: positiveInt.optional(),
      ...SEED_PROCESSING_KEYS,
    })
    .optional(),
  actors: z
    .strictObject({ timeoutMs: ACTOR_TIMEOUT_MS.optional(), snapshotEvery: SNAPSHOT_EVERY.optional(), strategy: strategy.optional(), maxLiveKeys: positiveInt.optional() })
    .optional(),
  userCode: z
    .strictObject({
      threads: positiveUpTo(64).optional(),
      expressionTimeoutMs: positiveInt.optional(),
      heapMb: positiveInt.min(32, { error: 'expected an integer of at least 32' }).optional(),
      maxResultBytes: positiveInt.optional(),
      maxDerivedPerInput: positiveInt.optional(),
    })
    .optional(),
  imports: z.strictObject({ parseTimeoutMs: positiveInt.optional(), parseMemoryMb: positiveInt.optional() }).optional(),
  cluster: z.strictObject({ leaseMs: positiveInt.min(1000, { error: 'expected an integer of at least 1000' }).optional() }).optional(),
  replays: z.strictObject({ maxRunning: positiveInt.optional(), maxRunningPerFlow: positiveInt.optional() }).optional(),
  mqtt: z.strictObject({ url: brokerUrl(['mqtt', 'mqtts', 'ws', 'wss']).optional() }).optional(),
  http: z
    .strictObject({
      headersTimeoutMs: positiveInt.optional(),
      requestTimeoutMs: positiveInt.optional(),
      keepAliveTimeoutMs: positiveInt.optional(),
      maxConnections: positiveInt.optional(),
      maxStreams: positiveInt.optional(),
      maxStreamsPerClient: positiveInt.optional(),
      streamBufferBytes: positiveInt.optional(),
    })
    .optional(),
  ...SEED_SECTIONS,
});
type FileConfig = z.infer<typeof FileSchema>;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  process: 'main',
  storeUrl: 'sqlite:./data/causeway.db',
  metrics: true,
  // snapshotHistory: as the stores keep when not told (store/snapshot-history.ts).
  store: { poolSize: 10, snapshotHistory: 100 },
  bus: {
    queueCapacity: 1024,
    maxLag: 10_000,
    hopLimit: 64,
    admitTimeoutMs: 5000,
    bodyLimitBytes: 1024 * 1024,
    batchBodyLimitBytes: 10 * 1024 * 1024,
  },
  processing: { maxDataDepth: 64, maxQueryLimit: 10_000, partitions: 8, batchSize: 256 },
  actors: { timeoutMs: 100, snapshotEvery: 100, strategy: 'restart' },
  userCode: { threads: 2, expressionTimeoutMs: 1000, heapMb: 256, maxResultBytes: 1024 * 1024, maxDerivedPerInput: 1000 },
  imports: { parseTimeoutMs: 5000, parseMemoryMb: 512 },
  http: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 5000,
    maxConnections: 10_000,
    maxStreams: 5000,
    maxStreamsPerClient: 100,
    streamBufferBytes: 4 * 1024 * 1024,
  },
  replays: { maxRunning: 4, maxRunningPerFlow: 2 },
  cluster: { leaseMs: 10_000 },
} as const;

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Command-line arguments after the script (`process.argv.slice(2)`). */
  argv?: string[];
  cwd?: string;
}

/** Reads, merges and validates the whole configuration; throws a ConfigError naming the bad key. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const cli = parseArgs(options.argv ?? []);

  const explicit = cli.config ?? env.CAUSEWAY_CONFIG;
  const path = resolve(cwd, explicit ?? 'causeway.toml');
  let file: FileConfig = {};
  let configFile: string | null = null;
  if (existsSync(path)) {
    file = readFile(path);
    configFile = path;
  } else if (explicit !== undefined) {
    throw new ConfigError('config_file_missing', `config file ${path} (from ${cli.config !== undefined ? '--config' : 'CAUSEWAY_CONFIG'}) does not exist`);
  }

  const fromEnv = {
    port: envValue('PORT', env.PORT, (v) => parsePort(v, 'PORT')),
    host: envValue('HOST', env.HOST, (v) => v),
    storeUrl: envValue('DATABASE_URL', env.DATABASE_URL, (v) => check(storeUrl, v, 'DATABASE_URL')),
    natsUrl: envValue('NATS_URL', env.NATS_URL, (v) => check(brokerUrl(['nats', 'tls']), v, 'NATS_URL')),
    mqttUrl: envValue('MQTT_URL', env.MQTT_URL, (v) => check(brokerUrl(['mqtt', 'mqtts', 'ws', 'wss']), v, 'MQTT_URL')),
    process: envValue('CAUSEWAY_PROCESS', env.CAUSEWAY_PROCESS, (v) => check(processName, v, 'CAUSEWAY_PROCESS')),
    tokens: envValue('CAUSEWAY_TOKENS', env.CAUSEWAY_TOKENS, parseTokens),
  };

  const { natsUrl: fileNatsUrl, ...fileBus } = file.bus ?? {};
  const { process: fileProcess, ...fileProcessing } = file.processing ?? {};
  const config: Config = {
    host: cli.host ?? fromEnv.host ?? file.server?.host ?? DEFAULTS.host,
    port: cli.port ?? fromEnv.port ?? file.server?.port ?? DEFAULTS.port,
    process: fromEnv.process ?? fileProcess ?? file.server?.process ?? DEFAULTS.process,
    store: {
      url: fromEnv.storeUrl ?? file.store?.url ?? DEFAULTS.storeUrl,
      poolSize: file.store?.poolSize ?? DEFAULTS.store.poolSize,
      maxGroupEvents: file.store?.maxGroupEvents ?? null,
      snapshotHistory: file.store?.snapshotHistory ?? DEFAULTS.store.snapshotHistory,
    },
    metrics: file.server?.metrics ?? DEFAULTS.metrics,
    bus: { ...DEFAULTS.bus, maxHandlersPerPort: null, ...definedOnly(fileBus) },
    processing: { ...DEFAULTS.processing, ...definedOnly(fileProcessing) },
    actors: { ...DEFAULTS.actors, maxLiveKeys: null, ...definedOnly(file.actors ?? {}) },
    userCode: { ...DEFAULTS.userCode, ...definedOnly(file.userCode ?? {}) },
    imports: { ...DEFAULTS.imports, ...definedOnly(file.imports ?? {}) },
    http: { ...DEFAULTS.http, ...definedOnly(file.http ?? {}) },
    replays: { ...DEFAULTS.replays, ...definedOnly(file.replays ?? {}) },
    cluster: { ...DEFAULTS.cluster, ...definedOnly(file.cluster ?? {}) },
    natsUrl: fromEnv.natsUrl ?? fileNatsUrl ?? null,
    mqttUrl: fromEnv.mqttUrl ?? file.mqtt?.url ?? null,
    tokens: fromEnv.tokens ?? [],
    demo: cli.demo,
    webDist: resolve(cwd, file.server?.webDist ?? 'dist/web'),
    configFile,
  };
  if (config.bus.batchBodyLimitBytes < config.bus.bodyLimitBytes) config.bus.batchBodyLimitBytes = config.bus.bodyLimitBytes;
  checkBinding(config);
  checkHttpLimits(config.http);
  checkCluster(config);
  return config;
}

/** Node refuses a header timeout longer than the request timeout: said here, with the keys' names. */
export function checkHttpLimits(http: HttpLimits): void {
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new ConfigError('invalid_setting', `http.headersTimeoutMs: must not exceed http.requestTimeoutMs (${http.headersTimeoutMs} > ${http.requestTimeoutMs})`);
  }
}

/** A cluster shares its store between processes: only PostgreSQL can be shared. */
export function checkCluster(config: Pick<Config, 'natsUrl' | 'store'>): void {
  if (config.natsUrl && !/^postgres(ql)?:\/\//.test(config.store.url)) {
    throw new ConfigError(
      'invalid_setting',
      `NATS_URL: a cluster needs a PostgreSQL store that every replica shares (DATABASE_URL=postgres://…); ${config.store.url.split(':')[0]} stores belong to one process — unset NATS_URL to run alone`,
    );
  }
}

/** Binding anything but loopback without tokens would open the API to the network: refused. */
export function checkBinding(config: Pick<Config, 'host' | 'tokens'>): void {
  if (!isLoopback(config.host) && config.tokens.length === 0) {
    throw new ConfigError(
      'unsafe_binding',
      `HOST: refusing to listen on ${config.host} without tokens; set CAUSEWAY_TOKENS=name:role:secret (roles viewer, editor, admin) or bind 127.0.0.1`,
    );
  }
}

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** `name:role:secret,…` (the secret may itself contain `:`). */
export function parseTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const entries = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  entries.forEach((entry, i) => {
    const [name, role, ...rest] = entry.split(':');
    const secret = rest.join(':');
    const where = `CAUSEWAY_TOKENS[${i}]`;
    if (!name || !/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) throw new ConfigError('invalid_setting', `${where}: expected name:role:secret with a name of letters, digits, _ . @ -`);
    if (!ROLES.includes(role as Role)) throw new ConfigError('invalid_setting', `${where} (${name}): role must be one of ${ROLES.join(', ')}`);
    if (secret.length < 8) throw new ConfigError('invalid_setting', `${where} (${name}): the secret must be at least 8 characters`);
    if (tokens.some((t) => t.secret === secret)) throw new ConfigError('invalid_setting', `${where} (${name}): the secret is used by another token`);
    tokens.push({ name, role: role as Role, secret });
  });
  return tokens;
}

interface CliOptions {
  port?: number;
  host?: string;
  config?: string;
  demo: boolean;
}

export function parseArgs(argv: string[]): CliOptions {
  const out: CliOptions = { demo: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ConfigError('invalid_setting', `${flag}: expected a value`);
      return v;
    };
    switch (flag) {
      case '--no-demo':
        out.demo = false;
        break;
      case '--demo':
        out.demo = true;
        break;
      case '--port':
        out.port = parsePort(value(), '--port');
        break;
      case '--host':
        out.host = value();
        break;
      case '--config':
        out.config = value();
        break;
      default:
        throw new ConfigError('unknown_option', `${arg}: unknown option (known: --port, --host, --config, --no-demo)`);
    }
  }
  return out;
}

function readFile(path: string): FileConfig {
  let raw: unknown;
  try {
    raw = parseToml(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigError('config_file_unreadable', `${path}:${error.line}:${error.column}: ${error.message.split('\n')[0]}`);
    throw new ConfigError('config_file_unreadable', `${path}: ${String(error)}`);
  }
  // With the input on each issue, a value of the wrong type is told apart from a missing one.
  const result = FileSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError('invalid_setting', `${path}: ${formatIssues(result.error.issues)}`);
  return withSeedKeys(result.data, `${path}: `);
}

function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${[...issue.path, k].join('.')}: unknown key`).join('; ');
      }
      const key = issue.path.join('.') || '(file)';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
      return `${key}: ${message}`;
    })
    .join('; ');
}

function check<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError('invalid_setting', `${key}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function parsePort(text: string, key: string): number {
  if (!/^\d{1,5}$/.test(text.trim())) throw new ConfigError('invalid_setting', `${key}: expected a port number (0–65535), got ${JSON.stringify(text)}`);
  return check(port, Number(text), key);
}

function envValue<T>(_key: string, value: string | undefined, parse: (v: string) => T): T | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return parse(value.trim());
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
