import { defineConfig } from 'vitest/config';

/** The engines suite: notebooks on DuckDB and on a running Trino cluster (`scripts/trino.sh start`), compared. */
export default defineConfig({
  test: {
    include: ['tests/engines/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    maxConcurrency: 2,
    // The 2M-row dashboard holds its DuckDB run and Trino's model inputs (2M rows as JSON pages) at once.
    execArgv: ['--max-old-space-size=6144'],
  },
});
