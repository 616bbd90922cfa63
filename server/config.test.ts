import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEED_KEYS } from './config-seed.js';
import { DEFAULTS, FileSchema, checkBinding, isConfigError, isLoopback, loadConfig, parseArgs, parseTokens, type ConfigErrorCode } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusalOf = (fn: () => unknown): { code: ConfigErrorCode; message: string } => {
  try {
    fn();
  } catch (error) {
    if (isConfigError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const messageOf = (fn: () => unknown): string => refusalOf(fn).message;

describe('configuration', () => {
  it('uses the defaults without a file, environment or arguments', () => {
    const config = loadConfig({ env: {}, argv: [], cwd: dir });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, process: 'main', store: { url: DEFAULTS.storeUrl }, tokens: [], demo: true, configFile: null });
    expect(config.webDist).toBe(join(dir, 'dist', 'web'));
  });

  it('reads causeway.toml, then lets the environment and the command line override it', () => {
    const file = join(dir, 'causeway.toml');
    writeFileSync(file, '[server]\nport = 9000\nhost = "127.0.0.2"\n[bus]\nmaxLag = 50\n[store]\nurl = "sqlite:./x.db"\n');
    const fromFile = loadConfig({ env: {}, argv: [], cwd: dir });
    expect(fromFile).toMatchObject({ port: 9000, host: '127.0.0.2', bus: { maxLag: 50 }, store: { url: 'sqlite:./x.db' }, configFile: file });
    const overridden = loadConfig({ env: { PORT: '9100', DATABASE_URL: 'memory:' }, argv: ['--port', '9200', '--no-demo'], cwd: dir });
    expect(overridden).toMatchObject({ port: 9200, store: { url: 'memory:' }, demo: false });
    rmSync(file);
  });

  it('names the key of a bad value in the file, the environment or the arguments', () => {
    const file = join(dir, 'bad.toml');
    writeFileSync(file, '[bus]\nmaxLag = -1\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('bus.maxLag');
    writeFileSync(file, '[bus]\nmaxLag = "ten"\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('bus.maxLag: expected a positive integer');
    writeFileSync(file, '[bus]\nmaxlag = 1\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('bus.maxlag: unknown key');
    expect(messageOf(() => loadConfig({ env: { PORT: 'eighty' }, cwd: dir }))).toContain('PORT');
    expect(messageOf(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' }, cwd: dir }))).toContain('DATABASE_URL');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--port'], cwd: dir }))).toContain('--port');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', join(dir, 'none.toml')], cwd: dir }))).toContain('does not exist');
  });

  it('reads the ShiViz parser limits from [imports], 5 s and 512 MB by default', () => {
    expect(loadConfig({ env: {}, argv: [], cwd: dir }).imports).toEqual({ parseTimeoutMs: 5000, parseMemoryMb: 512 });
    const file = join(dir, 'imports.toml');
    writeFileSync(file, '[imports]\nparseTimeoutMs = 2000\n');
    expect(loadConfig({ env: {}, argv: ['--config', file], cwd: dir }).imports).toEqual({ parseTimeoutMs: 2000, parseMemoryMb: 512 });
    writeFileSync(file, '[imports]\nparseTimeoutMs = 0\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('imports.parseTimeoutMs');
  });

  it('reads the HTTP bounds from [http], with defaults, and refuses a header time longer than the request time', () => {
    expect(loadConfig({ env: {}, argv: [], cwd: dir }).http).toEqual(DEFAULTS.http);
    const file = join(dir, 'http.toml');
    writeFileSync(file, '[http]\nmaxConnections = 50\nmaxStreamsPerClient = 3\nheadersTimeoutMs = 2000\n');
    expect(loadConfig({ env: {}, argv: ['--config', file], cwd: dir }).http).toEqual({ ...DEFAULTS.http, maxConnections: 50, maxStreamsPerClient: 3, headersTimeoutMs: 2000 });
    writeFileSync(file, '[http]\nheadersTimeoutMs = 5000\nrequestTimeoutMs = 1000\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('http.headersTimeoutMs: must not exceed http.requestTimeoutMs');
    writeFileSync(file, '[http]\nmaxStreams = 0\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('http.maxStreams');
  });

  it('parses tokens and refuses bad roles, short or shared secrets', () => {
    expect(parseTokens('ada:admin:s3cret-admin, vera:viewer:viewer:with:colons')).toEqual([
      { name: 'ada', role: 'admin', secret: 's3cret-admin' },
      { name: 'vera', role: 'viewer', secret: 'viewer:with:colons' },
    ]);
    expect(messageOf(() => parseTokens('ada:root:s3cret-admin'))).toContain('CAUSEWAY_TOKENS[0]');
    expect(messageOf(() => parseTokens('ada:admin:short'))).toContain('at least 8');
    expect(messageOf(() => parseTokens('a:admin:same-secret,b:viewer:same-secret'))).toContain('CAUSEWAY_TOKENS[1]');
  });

  it('refuses a non-loopback address without tokens', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(messageOf(() => checkBinding({ host: '0.0.0.0', tokens: [] }))).toContain('CAUSEWAY_TOKENS');
    expect(() => checkBinding({ host: '0.0.0.0', tokens: parseTokens('ada:admin:s3cret-admin') })).not.toThrow();
    expect(messageOf(() => loadConfig({ env: { HOST: '0.0.0.0' }, cwd: dir }))).toContain('HOST');
  });

  it('says by its code why a configuration was refused', () => {
    const file = join(dir, 'codes.toml');
    expect(refusalOf(() => loadConfig({ env: {}, argv: ['--config', join(dir, 'none.toml')], cwd: dir })).code).toBe('config_file_missing');
    writeFileSync(file, '[bus\n');
    expect(refusalOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir })).code).toBe('config_file_unreadable');
    writeFileSync(file, '[bus]\nmaxLag = -1\n');
    expect(refusalOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir })).code).toBe('invalid_setting');
    expect(refusalOf(() => loadConfig({ env: { PORT: 'eighty' }, cwd: dir })).code).toBe('invalid_setting');
    expect(refusalOf(() => parseTokens('ada:root:s3cret-admin')).code).toBe('invalid_setting');
    expect(refusalOf(() => parseArgs(['--verbose'])).code).toBe('unknown_option');
    expect(refusalOf(() => loadConfig({ env: { HOST: '0.0.0.0' }, cwd: dir })).code).toBe('unsafe_binding');
  });

  it('refuses a cluster (NATS_URL) on a store only one process can use, and takes it on PostgreSQL', () => {
    for (const url of ['sqlite:./data/x.db', 'memory:']) {
      const refusal = refusalOf(() => loadConfig({ env: { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: url }, cwd: dir }));
      expect(refusal.code).toBe('invalid_setting');
      expect(refusal.message).toMatch(/^NATS_URL: a cluster needs a PostgreSQL store/);
    }
    expect(refusalOf(() => loadConfig({ env: { NATS_URL: 'nats://127.0.0.1:4222' }, cwd: dir })).message).toContain('sqlite stores belong to one process');
    const joined = loadConfig({ env: { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://db/causeway', CAUSEWAY_PROCESS: 'r1' }, cwd: dir });
    expect(joined).toMatchObject({ natsUrl: 'nats://127.0.0.1:4222', process: 'r1', cluster: { leaseMs: 10_000 } });
  });

  it('refuses unknown command-line options', () => {
    expect(parseArgs(['--host=::1'])).toEqual({ demo: true, host: '::1' });
    expect(messageOf(() => parseArgs(['--verbose']))).toContain('--verbose');
  });

  it('reads the replay caps from [replays]: by default 4 at once, 2 of one flow; a bad cap names its key', () => {
    expect(loadConfig({ env: {}, argv: [], cwd: dir }).replays).toEqual({ maxRunning: 4, maxRunningPerFlow: 2 });
    const file = join(dir, 'replays.toml');
    writeFileSync(file, '[replays]\nmaxRunning = 8\nmaxRunningPerFlow = 1\n');
    expect(loadConfig({ env: {}, argv: ['--config', file], cwd: dir }).replays).toEqual({ maxRunning: 8, maxRunningPerFlow: 1 });
    writeFileSync(file, '[replays]\nmaxRunning = 0\n');
    expect(messageOf(() => loadConfig({ env: {}, argv: ['--config', file], cwd: dir }))).toContain('replays.maxRunning');
  });
});

describe("the seed's configuration file", () => {
  const fileWith = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const load = (text: string, env: Record<string, string> = {}) => loadConfig({ env, argv: ['--config', fileWith('seed.toml', text)], cwd: dir });
  const refusal = (text: string) => refusalOf(() => load(text));

  it('reads every seed key as the Causeway key that means the same here', () => {
    const config = load(`
[event_bus]
node_id = "edge-7"
buffer_size = 512
max_handlers_per_type = 4
metrics_enabled = false

[event_store]
type = "postgres"
connection_string = "postgres://causeway@db.internal/causeway"
connection_pool_size = 20
batch_size = 1000
snapshot_frequency = 50

[actor_system]
max_actors = 10000
actor_timeout_ms = 250
supervisor_strategy = "resume"

[processing]
pipeline_parallelism = 16
batch_processing_size = 64
processing_timeout_ms = 300
maxDataDepth = 32
`);
    expect(config).toMatchObject({
      process: 'edge-7',
      metrics: false,
      bus: { ...DEFAULTS.bus, queueCapacity: 512, maxHandlersPerPort: 4 },
      store: { url: 'postgres://causeway@db.internal/causeway', poolSize: 20, maxGroupEvents: 1000 },
      actors: { snapshotEvery: 50, maxLiveKeys: 10_000, timeoutMs: 250, strategy: 'resume' },
      processing: { maxDataDepth: 32, maxQueryLimit: DEFAULTS.processing.maxQueryLimit, partitions: 16, batchSize: 64 },
      userCode: { ...DEFAULTS.userCode, expressionTimeoutMs: 300 },
    });
    // The seed's names are read, not kept.
    expect(Object.keys(config.processing).sort()).toEqual(['batchSize', 'maxDataDepth', 'maxQueryLimit', 'partitions']);
    expect(Object.keys(config)).not.toContain('event_bus');
  });

  it('leaves every Causeway key at its default when the seed file says nothing of it', () => {
    const config = loadConfig({ env: {}, argv: [], cwd: dir });
    expect(config).toMatchObject({
      metrics: true,
      store: { url: DEFAULTS.storeUrl, poolSize: 10, maxGroupEvents: null },
      bus: { queueCapacity: 1024, maxHandlersPerPort: null },
      actors: { timeoutMs: 100, snapshotEvery: 100, strategy: 'restart', maxLiveKeys: null },
      processing: { partitions: 8, batchSize: 256 },
    });
  });

  it('lets CAUSEWAY_PROCESS win over event_bus.node_id, as over server.process', () => {
    expect(load('[event_bus]\nnode_id = "edge-7"\n', { CAUSEWAY_PROCESS: 'edge-8' }).process).toBe('edge-8');
  });

  it.each([
    ['type sqlite and a path', 'type = "sqlite"\nconnection_string = "./var/events.db"', 'sqlite:./var/events.db'],
    ['type sqlite and a sqlite: URL', 'type = "sqlite"\nconnection_string = "sqlite:///var/lib/events.db"', 'sqlite:///var/lib/events.db'],
    ['a path alone', 'connection_string = "/var/lib/events.db"', 'sqlite:/var/lib/events.db'],
    ['type sqlite alone (the default file)', 'type = "sqlite"', DEFAULTS.storeUrl],
    ['type memory', 'type = "memory"', 'memory:'],
    ['a PostgreSQL URL alone', 'connection_string = "postgresql://u@h:5433/db"', 'postgresql://u@h:5433/db'],
  ])('reads event_store %s as store.url', (_, keys, url) => {
    expect(load(`[event_store]\n${keys}\n`).store.url).toBe(url);
  });

  it('lets DATABASE_URL win over the seed store, as over store.url', () => {
    expect(load('[event_store]\ntype = "sqlite"\nconnection_string = "x.db"\n', { DATABASE_URL: 'memory:' }).store.url).toBe('memory:');
  });

  it.each([
    ['type = "sqlite"\nconnection_string = "postgres://u@h/db"', 'event_store.type = "sqlite" contradicts event_store.connection_string, which names a postgres store'],
    ['type = "postgres"\nconnection_string = "./events.db"', 'event_store.type = "postgres" contradicts event_store.connection_string, which names a sqlite store'],
    ['type = "memory"\nconnection_string = "./events.db"', 'event_store.type = "memory" contradicts event_store.connection_string'],
    ['type = "postgres"', 'event_store.type = "postgres" needs event_store.connection_string'],
    ['connection_string = "mysql://u@h/db"', 'event_store.connection_string: expected a file path, sqlite:<path>, memory: or postgres://…'],
    ['type = "oracle"', 'event_store.type: expected one of sqlite, postgres, memory'],
  ])('refuses an event_store that contradicts itself or names no store: %s', (keys, message) => {
    expect(refusal(`[event_store]\n${keys}\n`)).toEqual({ code: 'invalid_setting', message: expect.stringContaining(message) });
  });

  /** A valid value for each seed key, and for the Causeway key it sets, as TOML. */
  const SAMPLES: Record<string, string> = {
    'event_bus.node_id': '"edge-7"',
    'event_bus.buffer_size': '512',
    'event_bus.max_handlers_per_type': '4',
    'event_bus.metrics_enabled': 'false',
    'event_store.type': '"sqlite"',
    'event_store.connection_string': '"./events.db"',
    'event_store.connection_pool_size': '20',
    'event_store.batch_size': '1000',
    'event_store.snapshot_frequency': '50',
    'actor_system.max_actors': '100',
    'actor_system.actor_timeout_ms': '250',
    'actor_system.supervisor_strategy': '"stop"',
    'processing.pipeline_parallelism': '16',
    'processing.batch_processing_size': '64',
    'processing.processing_timeout_ms': '300',
    'server.process': '"edge-8"',
    'processing.process': '"edge-8"',
    'server.metrics': 'true',
    'bus.queueCapacity': '2048',
    'bus.maxHandlersPerPort': '8',
    'store.url': '"memory:"',
    'store.poolSize': '5',
    'store.maxGroupEvents': '100',
    'actors.snapshotEvery': '10',
    'actors.maxLiveKeys': '10',
    'actors.timeoutMs': '50',
    'actors.strategy': '"resume"',
    'processing.partitions': '4',
    'processing.batchSize': '32',
    'userCode.expressionTimeoutMs': '500',
  };
  /** The TOML of keys given as `section.key`, grouped by section. */
  const tomlOf = (keys: string[]) => {
    const sections = new Map<string, string[]>();
    for (const key of keys) {
      const [section, name] = key.split('.') as [string, string];
      sections.set(section, [...(sections.get(section) ?? []), `${name} = ${SAMPLES[key]}`]);
    }
    return [...sections].map(([section, lines]) => `[${section}]\n${lines.join('\n')}\n`).join('\n');
  };
  const pairs = [...Object.entries(SEED_KEYS), ['event_bus.node_id', 'processing.process']];

  it.each(pairs)('refuses %s beside %s, naming both: a file never means two things', (seedKey, key) => {
    expect(load(tomlOf([seedKey]))).toBeDefined();
    expect(refusal(tomlOf([seedKey, key]))).toEqual({ code: 'invalid_setting', message: expect.stringContaining(`${seedKey} and ${key} both set`) });
  });

  it('names both seed keys of the store when both are set beside store.url', () => {
    expect(refusal(tomlOf(['event_store.type', 'event_store.connection_string', 'store.url'])).message).toContain(
      'event_store.type and event_store.connection_string and store.url both set',
    );
  });

  it.each([
    ['[event_bus]\nbufer_size = 1\n', 'event_bus.bufer_size: unknown key'],
    ['[event_store]\npool_size = 1\n', 'event_store.pool_size: unknown key'],
    ['[actor_system]\nmax_actor = 1\n', 'actor_system.max_actor: unknown key'],
    ['[processing]\npipeline_paralelism = 2\n', 'processing.pipeline_paralelism: unknown key'],
    ['[event_busses]\nnode_id = "x"\n', 'event_busses: unknown key'],
  ])('refuses an unknown seed key, naming it: %s', (text, message) => {
    expect(refusal(text)).toEqual({ code: 'invalid_setting', message: expect.stringContaining(message) });
  });

  it.each([
    ['[event_bus]\nbuffer_size = 0\n', 'event_bus.buffer_size: expected a positive integer'],
    ['[event_bus]\nmetrics_enabled = "no"\n', 'event_bus.metrics_enabled: expected true or false'],
    ['[event_bus]\nnode_id = "edge 7"\n', 'event_bus.node_id: expected a process name'],
    ['[actor_system]\nsupervisor_strategy = "escalate"\n', 'actor_system.supervisor_strategy: expected one of restart, resume, stop'],
    ['[actor_system]\nactor_timeout_ms = 20000\n', 'actor_system.actor_timeout_ms: expected a positive integer up to 10000'],
    ['[event_store]\nsnapshot_frequency = 2000000\n', 'event_store.snapshot_frequency: expected a positive integer up to 1000000'],
    ['[processing]\npipeline_parallelism = 0\n', 'processing.pipeline_parallelism: expected a positive integer'],
  ])('refuses a bad seed value under the seed key\'s name: %s', (text, message) => {
    expect(refusal(text)).toEqual({ code: 'invalid_setting', message: expect.stringContaining(message) });
  });
});

describe('docs/operations.md', () => {
  const guide = readFileSync(join(import.meta.dirname, '..', 'docs', 'operations.md'), 'utf8');
  /** The table row whose first cell names `key`. */
  const rowOf = (key: string) => guide.split('\n').find((line) => line.startsWith(`| \`${key}\``));
  /** Defaults the code keeps outside the sections of DEFAULTS. */
  const OTHER_DEFAULTS: Record<string, unknown> = {
    'server.host': DEFAULTS.host,
    'server.port': DEFAULTS.port,
    'server.process': DEFAULTS.process,
    'server.metrics': DEFAULTS.metrics,
    'processing.process': DEFAULTS.process,
    'store.url': DEFAULTS.storeUrl,
  };
  const sections = DEFAULTS as unknown as Record<string, Record<string, unknown> | undefined>;

  it('has a row for every key of causeway.toml, with the default the code uses', () => {
    const missing: string[] = [];
    const otherDefault: string[] = [];
    for (const [section, schema] of Object.entries(FileSchema.shape)) {
      for (const key of Object.keys(schema.unwrap().shape)) {
        const name = `${section}.${key}`;
        const row = rowOf(name);
        if (!row) {
          missing.push(name);
          continue;
        }
        const value = OTHER_DEFAULTS[name] ?? sections[section]?.[key];
        if (value !== undefined && !row.includes(`\`${String(value)}\``)) otherDefault.push(`${name} = ${String(value)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(otherDefault).toEqual([]);
  });

  it("has a row for every seed key, naming the Causeway key it sets, which has a row of its own", () => {
    const seedKeys = Object.entries(FileSchema.shape).flatMap(([section, schema]) =>
      Object.keys(schema.unwrap().shape)
        .map((key) => `${section}.${key}`)
        .filter((name) => /_/.test(name.split('.')[1]!) || ['event_bus', 'event_store', 'actor_system'].includes(section)),
    );
    expect(seedKeys.sort()).toEqual(Object.keys(SEED_KEYS).sort());
    const wrong = Object.entries(SEED_KEYS).filter(([seedKey, key]) => {
      const cells = rowOf(seedKey)?.split('|').map((cell) => cell.trim());
      return cells?.[2] !== `\`${key}\`` || !rowOf(key);
    });
    expect(wrong).toEqual([]);
    expect(guide).toContain('### The seed\'s configuration file');
  });

  it('names every environment variable and command-line option the server reads', () => {
    const source = ['config.ts', 'logger.ts'].map((file) => readFileSync(join(import.meta.dirname, file), 'utf8')).join('\n');
    const variables = [...new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!))];
    const options = [...new Set([...source.matchAll(/case '(--[a-z-]+)'/g)].map((m) => m[1]!))];
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'CAUSEWAY_TOKENS', 'LOG_LEVEL']));
    expect(options).toEqual(expect.arrayContaining(['--port', '--no-demo']));
    expect([...variables, ...options].filter((name) => !rowOf(name))).toEqual([]);
  });
});
