/**
 * A Causeway server in its own process (the fault test, the HTTP bench): SQLite at the path given, a random
 * port, no demo, and the configuration overrides given as JSON in the second argument, if any.
 * Prints `ready <url>` once listening; drains and exits on SIGTERM.
 */
import { silentLogger } from '../logger.js';
import { startCauseway, type ConfigOverrides } from '../start.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: server-child <sqlite path> [config overrides as JSON]');
  const overrides = process.argv[3] ? (JSON.parse(process.argv[3]) as ConfigOverrides) : {};
  const causeway = await startCauseway({
    config: { ...overrides, port: 0, host: '127.0.0.1', store: { url: `sqlite:${path}` } },
    env: {},
    demo: false,
    buildWeb: false,
    handleSignals: true,
    logger: silentLogger(),
  });
  process.stdout.write(`ready ${causeway.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
