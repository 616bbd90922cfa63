import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('docs/operations.md', () => {
  const guide = readFileSync(join(import.meta.dirname, '..', 'docs', 'operations.md'), 'utf8');
  /** The table row whose first cell names `key`. */
  const rowOf = (key: string) => guide.split('\n').find((line) => line.startsWith(`| \`${key}\``));
  /** Defaults the code keeps outside the sections of DEFAULTS. */
  const OTHER_DEFAULTS: Record<string, unknown> = {
    'server.host': DEFAULTS.host,
    'server.port': DEFAULTS.port,
    'server.process': DEFAULTS.process,
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

  it('names every environment variable and command-line option the server reads', () => {
    const source = ['config.ts', 'logger.ts'].map((file) => readFileSync(join(import.meta.dirname, file), 'utf8')).join('\n');
    const variables = [...new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!))];
    const options = [...new Set([...source.matchAll(/case '(--[a-z-]+)'/g)].map((m) => m[1]!))];
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'CAUSEWAY_TOKENS', 'LOG_LEVEL']));
    expect(options).toEqual(expect.arrayContaining(['--port', '--no-demo']));
    expect([...variables, ...options].filter((name) => !rowOf(name))).toEqual([]);
  });
});
