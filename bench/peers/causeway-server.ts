/**
 * The Causeway side of the peer comparisons: a server in its own process on the store URL given (`sqlite:<path>`,
 * `memory:`, `postgres://…`), a random port, no demo, as `npm start` runs it. Prints `ready <url>` once listening;
 * drains and exits on SIGTERM.
 */
import { silentLogger } from '../../server/logger.js';
import { startCauseway } from '../../server/start.js';

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: causeway-server <store URL>');
  const causeway = await startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url } },
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
