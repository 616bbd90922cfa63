import { defineConfig } from 'vitest/config';

/** The cluster tests start replicas as processes of their own; they run after the rest, not beside timing tests. */
const CLUSTER = 'server/cluster/**/*.integration.test.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit and integration',
          include: ['*.test.ts', 'shared/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'deploy/**/*.test.ts'],
          exclude: [CLUSTER],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'cluster', include: [CLUSTER], sequence: { groupOrder: 1 }, fileParallelism: false } },
    ],
  },
});
