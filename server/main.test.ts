import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'main.ts');

describe('npm start', () => {
  it('reports a configuration it refuses as a configuration error naming the key, and exits with status 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--verbose'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('causeway: configuration error: --verbose: unknown option (known: --port, --host, --config, --no-demo)\n');
    expect(run.status).toBe(1);
  });
});
