/**
 * Replicas for the cluster tests: Causeway servers in processes of their own on one fresh PostgreSQL schema and the
 * local NATS, each with its own process name; killed, restarted and stopped as a test needs.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../store/postgres/testing/database.js';
import { exited, spawnServer, type ServerChild } from './spawn-server.js';
import type { ConfigOverrides } from '../start.js';
import { TEST_NATS_URL } from '../transport/testing/nats.js';

export interface Replica {
  name: string;
  child: ServerChild;
}

/** A schema of its own for one test's cluster, and the store URL whose connections use it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `cw_cluster_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
    },
  };
}

export class Replicas {
  readonly running = new Map<string, Replica>();

  constructor(
    readonly storeUrl: string,
    private readonly config: ConfigOverrides = {},
  ) {}

  async start(name: string, config: ConfigOverrides = {}): Promise<Replica> {
    const { proc, ready } = spawnServer(this.storeUrl, { natsUrl: TEST_NATS_URL, process: name, ...this.config, ...config });
    // CAUSEWAY_CHILD_LOG=<file>: what the replicas write to standard error goes beside their log, for a test being debugged.
    const log = process.env.CAUSEWAY_CHILD_LOG;
    if (log) proc.stderr!.on('data', (d) => appendFileSync(`${log}.stderr`, `[${name}] ${String(d)}`));
    const replica = { name, child: await ready };
    this.running.set(name, replica);
    return replica;
  }

  url(name: string): string {
    const replica = this.running.get(name);
    if (!replica) throw new Error(`replica ${name} is not running`);
    return replica.child.url;
  }

  /** SIGKILL: no drain, no lease let go. */
  async kill(name: string): Promise<void> {
    const replica = this.running.get(name);
    if (!replica) return;
    this.running.delete(name);
    replica.child.proc.kill('SIGKILL');
    await exited(replica.child.proc);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        r.child.proc.kill('SIGTERM');
        const timer = setTimeout(() => r.child.proc.kill('SIGKILL'), 10_000);
        await exited(r.child.proc);
        clearTimeout(timer);
      }),
    );
    this.running.clear();
  }
}

/** Polls `probe` until it gives a value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
