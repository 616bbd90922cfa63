/**
 * A real server on a random port for the tests that need a whole Causeway: SQLite in memory, no demo, no web build,
 * quiet logs, short live-stream timings. It sits at the level of `start.ts` because it starts one: a helper inside a
 * layer beneath (`http/testing/`) may not reach up to start.
 */
import { silentLogger } from '../logger.js';
import { startCauseway, type Causeway, type ConfigOverrides } from '../start.js';

export type { Causeway, ConfigOverrides } from '../start.js';

export async function startTestServer(config: ConfigOverrides = {}): Promise<Causeway> {
  return startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'sqlite::memory:' }, ...config },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
    live: { heartbeatMs: 200, statusMs: 100 },
  });
}
