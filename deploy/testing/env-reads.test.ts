import { describe, expect, it } from 'vitest';
import { envReadsIn } from './env-reads.js';

describe('finding the environment variables a source reads', () => {
  it('finds env.X, process.env.X, env?.X and env["X"], and nothing else', () => {
    const source = `
      const a = env.PORT;
      const b = process.env.LOG_LEVEL ?? 'info';
      const c = options.env?.HOST;
      const d = env['DATABASE_URL'] + process.env["NATS_URL"];
      const e = fromEnv.port + myenv.NOT_THIS + env.lowercase;
      const f = 'env.IN_A_STRING_TOO';
    `;
    expect([...envReadsIn(source)].sort()).toEqual(['DATABASE_URL', 'HOST', 'IN_A_STRING_TOO', 'LOG_LEVEL', 'NATS_URL', 'PORT']);
  });
});
