/**
 * The app in-process for route tests: the routes behind the same middleware a server has (auth, headers, error
 * answers), reached with `app.request()` on a memory store, without a socket. `close()` ends live streams, settles
 * what the route groups registered for shutdown (replays, the import parser) and drains the engine, as a server's
 * close does.
 */
import { tmpdir } from 'node:os';
import type { Hono } from 'hono';
import { loadConfig, type Config } from '../../config.js';
import { silentLogger } from '../../logger.js';
import { createMetrics, instrumentStore } from '../../metrics.js';
import { Engine } from '../../runtime/engine.js';
import { openMemoryStore } from '../../store/index.js';
import type { EventStore } from '../../store/index.js';
import { createApp, type AppDeps, type AppEnv } from '../app.js';

/** A configuration whose sections may be partial (`{replays: {maxRunning: 1}}`). */
export type ConfigPatch = {
  [K in keyof Config]?: Config[K] extends unknown[] | string | number | boolean | null ? Config[K] : Partial<Config[K]>;
};

/** An answer read whole: its JSON when it has any, else its text. */
export interface Answer {
  status: number;
  headers: Headers;
  // Answers are read loosely in tests (`json.error.details[0].path`); the assertions check their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
}

export interface InProcessApp {
  app: Hono<AppEnv>;
  engine: Engine;
  store: EventStore;
  config: Config;
  /** One request; a body that is not a string is sent as JSON. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** The response itself, for streams. */
  open(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export function inProcessApp(options: { config?: ConfigPatch; live?: AppDeps['live'] } = {}): InProcessApp {
  const config = withPatch(loadConfig({ env: {}, cwd: tmpdir() }), options.config ?? {});
  const metrics = config.metrics ? createMetrics({ defaultMetrics: false }) : null;
  const store = metrics ? instrumentStore(openMemoryStore(), metrics) : openMemoryStore();
  // Flows compile as the server would compile them: its bounds and node defaults.
  const { hopLimit, maxHandlersPerPort } = config.bus;
  const { strategy, timeoutMs, snapshotEvery } = config.actors;
  const engine = new Engine({ store, process: config.process, hopLimit, ...(maxHandlersPerPort ? { maxHandlersPerPort } : {}), nodeDefaults: { actor: { strategy, timeoutMs, snapshotEvery } } });
  const detach = metrics ? metrics.attach(engine) : () => undefined;
  const shutdown = new AbortController();
  const beforeClose: (() => Promise<void>)[] = [];
  const app = createApp({
    engine,
    store,
    config,
    metrics,
    logger: silentLogger(),
    version: 'test',
    shutdown: shutdown.signal,
    beforeClose: (settle) => beforeClose.push(settle),
    live: options.live ?? { heartbeatMs: 200, statusMs: 100 },
  });

  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const named = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
      if (!named) (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await app.request(path, init);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  };

  return {
    app,
    engine,
    store,
    config,
    request,
    open: async (path, headers = {}) => app.request(path, { headers: { accept: 'text/event-stream', ...headers } }),
    close: async () => {
      shutdown.abort();
      await Promise.all(beforeClose.map((settle) => settle()));
      await engine.close();
      detach();
      await store.close();
    },
  };
}

/** The configuration with each patched section merged key by key, other keys replaced. */
function withPatch(base: Config, patch: ConfigPatch): Config {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    const isSection = value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object';
    merged[key] = isSection ? { ...current, ...value } : value;
  }
  return merged as unknown as Config;
}
