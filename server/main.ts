/**
 * `npm start` — runs Causeway. Options: --port <n>, --host <address>, --config <file>, --no-demo.
 * A bad configuration exits with status 1 and a message naming the key.
 */
import { isConfigError } from './config.js';
import { startCauseway } from './start.js';

async function main(): Promise<void> {
  const causeway = await startCauseway({ argv: process.argv.slice(2), handleSignals: true });
  process.stdout.write(`Causeway is running at ${causeway.url}\n`);
}

main().catch((error: unknown) => {
  if (isConfigError(error)) process.stderr.write(`causeway: configuration error: ${error.message}\n`);
  else process.stderr.write(`causeway: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
