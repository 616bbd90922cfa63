/** Builds the web app once into dist/web, so every e2e test runs against the bundle the server serves. */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  if (process.env.CAUSEWAY_E2E_SKIP_BUILD === '1') return;
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
