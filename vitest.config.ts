import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 20_000,
    // Two cores here and in CI: more forks only contend.
    maxWorkers: 2,
    // The JSON report lets CI print one plain "N passed, N failed" line at the end.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
