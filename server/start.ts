/**
 * Starting Causeway: configuration, store, engine, flows restored from their checkpoints, the demo on first
 * start, the web app, and the HTTP server. `close()` (also on SIGINT/SIGTERM when asked) stops taking requests,
 * ends live streams, drains the engine and closes the store.
 */
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { ClusterCoordinator } from './cluster/coordinator.js';
import { checkBinding, checkCluster, checkHttpLimits, loadConfig, type Config } from './config.js';
import { ensureDemo } from './demo.js';
import { createApp, type AppEnv } from './http/app.js';
import { ensureWebBuild, webHandler } from './http/web.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, instrumentStore, type Metrics } from './metrics.js';
import { Engine, type EngineOptions } from './runtime/engine.js';
import { UserCodePool } from './runtime/user-code/pool.js';
import { type ClusterStore, type EventStore, isClusterStore, openStore } from './store/index.js';
import { connectNats, type MessageBus } from './transport/nats.js';

export interface StartOptions {
  /** Overrides applied after the file, the environment and the command line (sections merge key by key). */
  config?: ConfigOverrides;
  argv?: string[];
  env?: Record<string, string>;
  /** false: no demo flow, whatever the command line says. */
  demo?: boolean;
  logger?: Logger;
  /** Build the web app with vite when it is missing (default true). */
  buildWeb?: boolean;
  /** Close on SIGINT/SIGTERM (the command line does; embedders and tests usually do not). */
  handleSignals?: boolean;
  /** Timing of live streams (tests use short ones). */
  live?: { heartbeatMs?: number; statusMs?: number };
}

/** A partial configuration whose sections may themselves be partial (`{bus: {maxLag: 50}}`). */
export type ConfigOverrides = Partial<Omit<Config, 'store' | 'bus' | 'processing' | 'actors' | 'imports' | 'http' | 'cluster'>> & {
  store?: Partial<Config['store']>;
  bus?: Partial<Config['bus']>;
  processing?: Partial<Config['processing']>;
  actors?: Partial<Config['actors']>;
  imports?: Partial<Config['imports']>;
  http?: Partial<Config['http']>;
  cluster?: Partial<Config['cluster']>;
};

export interface Causeway {
  url: string;
  port: number;
  app: Hono<AppEnv>;
  engine: Engine;
  store: EventStore;
  config: Config;
  /** What `/metrics` serves; null when metrics are off (`server.metrics = false`), and then nothing is collected. */
  metrics: Metrics | null;
  close(): Promise<void>;
}

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? 'dev';
  } catch {
    return 'dev';
  }
}

/**
 * The Node server's time limits: a client has `headersTimeoutMs` to send its headers and `requestTimeoutMs` for the
 * whole request (bodies included; answers such as live streams are not bound by them), and an idle keep-alive
 * connection is closed after `keepAliveTimeoutMs`. Node looks for overdue requests every
 * `connectionsCheckingInterval` (30 s by default): here a fraction of the shorter limit, so they hold to within it.
 */
export function serverOptionsOf(http: Config['http']): ServerOptions {
  return {
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(http.headersTimeoutMs, http.requestTimeoutMs) / 4))),
  };
}

/** What the engine takes of the configuration: the bus's bounds, the runtime's batches, the actors' defaults. */
export function engineOptionsOf(config: Config): Omit<EngineOptions, 'store' | 'userCode' | 'log'> {
  const { maxLiveKeys, strategy, timeoutMs, snapshotEvery } = config.actors;
  const { maxHandlersPerPort } = config.bus;
  return {
    process: config.process,
    hopLimit: config.bus.hopLimit,
    queueCapacity: config.bus.queueCapacity,
    maxLag: config.bus.maxLag,
    admitTimeoutMs: config.bus.admitTimeoutMs,
    maxDerivedPerInput: config.userCode.maxDerivedPerInput,
    batchSize: config.processing.batchSize,
    ...(maxLiveKeys !== null ? { maxLiveKeys } : {}),
    ...(maxHandlersPerPort !== null ? { maxHandlersPerPort } : {}),
    // An actor node's own config wins; these fill what it leaves out.
    nodeDefaults: { actor: { strategy, timeoutMs, snapshotEvery } },
  };
}

/** Configuration from file, environment and arguments, then the caller's overrides; throws a ConfigError. */
export function resolveConfig(options: Pick<StartOptions, 'config' | 'argv' | 'env' | 'demo'>): Config {
  const base = loadConfig({ env: options.env ?? (process.env as Record<string, string>), argv: options.argv ?? [] });
  const over = options.config ?? {};
  const config: Config = {
    ...base,
    ...over,
    store: { ...base.store, ...over.store },
    bus: { ...base.bus, ...over.bus },
    processing: { ...base.processing, ...over.processing },
    actors: { ...base.actors, ...over.actors },
    userCode: { ...base.userCode, ...over.userCode },
    imports: { ...base.imports, ...over.imports },
    http: { ...base.http, ...over.http },
    cluster: { ...base.cluster, ...over.cluster },
  };
  if (options.demo !== undefined) config.demo = options.demo;
  checkBinding(config);
  checkHttpLimits(config.http);
  checkCluster(config);
  return config;
}

export async function startCauseway(options: StartOptions = {}): Promise<Causeway> {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger({ process: config.process });
  const metrics = config.metrics ? createMetrics() : null;
  const { poolSize, maxGroupEvents, snapshotHistory } = config.store;
  const rawStore = await openStore(config.store.url, { poolSize, snapshotHistory, ...(maxGroupEvents !== null ? { maxGroupEvents } : {}) });
  const store = metrics ? instrumentStore(rawStore, metrics) : rawStore;
  const userCode = new UserCodePool({
    threads: config.userCode.threads,
    limits: { expressionTimeoutMs: config.userCode.expressionTimeoutMs, threadHeapMb: config.userCode.heapMb, maxResultBytes: config.userCode.maxResultBytes, maxResultDepth: config.processing.maxDataDepth + 4 },
    log: (message, details) => logger.warn(details ?? {}, message),
  });
  const engine = new Engine({ ...engineOptionsOf(config), store, userCode, log: (message, details) => logger.warn(details ?? {}, message) });
  const detach = metrics ? metrics.attach(engine) : () => undefined;
  const shutdown = new AbortController();
  const beforeClose: (() => Promise<void>)[] = [];
  let bus: MessageBus | undefined;
  let cluster: ClusterCoordinator | undefined;

  let closing: Promise<void> | undefined;
  let server: ReturnType<typeof serve> | undefined;
  const removeSignals: (() => void)[] = [];
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      for (const remove of removeSignals) remove();
      shutdown.abort();
      if (server) {
        const s = server;
        await new Promise<void>((done) => {
          s.close(() => done());
          if ('closeIdleConnections' in s) s.closeIdleConnections();
          setTimeout(() => ('closeAllConnections' in s ? s.closeAllConnections() : undefined), 2000).unref();
        });
      }
      await Promise.all(beforeClose.map((settle) => settle()));
      // Leases go before the runs drain: the others take the flows over at once instead of after the lease time.
      await cluster?.leave();
      await engine.close();
      await bus?.close();
      await userCode.close();
      detach();
      await rawStore.close();
      logger.info('stopped');
    })());

  try {
    if (isClusterStore(store)) {
      const joined = await claimStore(config, store, engine, logger);
      bus = joined?.bus;
      cluster = joined?.coordinator;
    }
    for (const r of await engine.restore()) {
      if (r.error) logger.error({ flowId: r.flowId, revision: r.revision, error: r.error }, 'a deployed flow could not be restored');
      else logger.info({ flowId: r.flowId, revision: r.revision }, 'flow resumed from its checkpoint');
    }
    if (config.demo) {
      // The demo is a convenience: if it cannot be set up, the server still starts.
      try {
        const demo = await ensureDemo(store, engine, { actorTimeoutMs: config.actors.timeoutMs, snapshotEvery: config.actors.snapshotEvery });
        if (demo.created) logger.info({ flowId: demo.flowId }, 'demo flow created and deployed');
      } catch (error) {
        logger.error({ error: String(error) }, 'the demo flow could not be set up');
      }
    }
    if (options.buildWeb !== false) {
      await ensureWebBuild(config.webDist, PROJECT_ROOT, (message, error) => (error ? logger.warn({ error: String(error) }, message) : logger.info(message)));
    }
    const app = createApp(
      { engine, store, config, metrics, logger, version: packageVersion(), ...(cluster ? { cluster } : {}), shutdown: shutdown.signal, beforeClose: (settle) => beforeClose.push(settle), ...(options.live ? { live: options.live } : {}) },
      { web: webHandler(config.webDist) },
    );
    const port = await new Promise<number>((resolveListening, reject) => {
      const s = serve(
        { fetch: app.fetch, hostname: config.host, port: config.port, serverOptions: serverOptionsOf(config.http) },
        (info: AddressInfo) => resolveListening(info.port),
      );
      // Connections past the cap are closed as they are accepted.
      s.maxConnections = config.http.maxConnections;
      s.once('error', reject);
      server = s;
    });
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    if (options.handleSignals) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const onSignal = () => {
          logger.info({ signal }, 'shutting down');
          void close().then(
            () => process.exit(0),
            (error: unknown) => {
              logger.error({ error: String(error) }, 'shutdown failed');
              process.exit(1);
            },
          );
        };
        process.once(signal, onSignal);
        removeSignals.push(() => process.removeListener(signal, onSignal));
      }
    }
    logger.info({ url, store: store.kind }, 'listening');
    return { url, port, app, engine, store, config, metrics, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * A PostgreSQL store is shared or held: with NATS this process joins the cluster of every process on the database;
 * without, it claims the database alone, and a second process is refused instead of corrupting the first's clocks.
 */
async function claimStore(
  config: Config,
  store: ClusterStore,
  engine: Engine,
  logger: Logger,
): Promise<{ bus: MessageBus; coordinator: ClusterCoordinator } | undefined> {
  if (!config.natsUrl) {
    await store.cluster.claim({ mode: 'alone' });
    return undefined;
  }
  const clusterName = await store.cluster.name();
  const log = (message: string, details?: Record<string, unknown>) => logger.info(details ?? {}, message);
  const bus = await connectNats({ url: config.natsUrl, name: `${clusterName}/${config.process}`, log });
  try {
    const coordinator = await ClusterCoordinator.join({
      store,
      engine,
      bus,
      name: config.process,
      clusterName,
      leaseMs: config.cluster.leaseMs,
      partitions: config.processing.partitions,
      log,
    });
    logger.info({ cluster: clusterName, process: config.process }, 'joined the cluster');
    return { bus, coordinator };
  } catch (error) {
    await bus.close();
    throw error;
  }
}
