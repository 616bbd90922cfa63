/**
 * A Causeway server in its own process (the fault test, the cluster tests, the HTTP bench): SQLite at the path given
 * (or the store URL given: `postgres://…`), a random port, no demo, and the configuration overrides given as JSON
 * in the second argument, if any.
 * Prints `ready <url>` once listening; drains and exits on SIGTERM.
 */
import pino from 'pino';
import { createLogger, silentLogger } from '../logger.js';
import { startCauseway, type ConfigOverrides } from '../start.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: server-child <sqlite path | store URL> [config overrides as JSON]');
  const url = /^[a-z]+:\/\//.test(path) ? path : `sqlite:${path}`;
  const overrides = process.argv[3] ? (JSON.parse(process.argv[3]) as ConfigOverrides) : {};
  const causeway = await startCauseway({
    config: { ...overrides, port: 0, host: '127.0.0.1', store: { url } },
    env: {},
    demo: false,
    buildWeb: false,
    handleSignals: true,
    // CAUSEWAY_CHILD_LOG=<file>: the child's log, for a test being debugged.
    logger: process.env.CAUSEWAY_CHILD_LOG ? createLogger({ level: 'debug', destination: pino.destination({ dest: process.env.CAUSEWAY_CHILD_LOG, append: true, sync: true }) }) : silentLogger(),
  });
  process.stdout.write(`ready ${causeway.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
