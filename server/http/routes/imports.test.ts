/**
 * `POST /api/imports/shiviz` in-process against the memory store: what the parser's limits answer besides the time
 * limit (which `imports.integration.test.ts` proves against a server in its own process).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.js';
import { startCauseway, type Causeway } from '../../start.js';

let server: Causeway;

beforeAll(async () => {
  server = await startCauseway({
    config: { port: 0, host: '127.0.0.1', store: { url: 'memory:' }, imports: { parseMemoryMb: 16 } },
    env: {},
    demo: false,
    buildWeb: false,
    logger: silentLogger(),
  });
});
afterAll(async () => server?.close());

const importing = (body: string) => server.app.request('/api/imports/shiviz', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

describe('the ShiViz import at its memory limit', () => {
  it('answers a log that needs more memory than the parser may use with a 413 parse_out_of_memory, then goes on', async () => {
    const chord = readFileSync('/work/shared/data/shiviz/chord.log', 'utf8');
    const big = await importing(chord.repeat(50));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'parse_out_of_memory', details: [{ path: 'body', limitMb: 16 }] } });
    const small = await importing('a {"a":1}\nx\n');
    expect(small.status).toBe(201);
  });
});
