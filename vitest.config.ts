import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    // Two cores here and in CI: more forks only contend.
    maxWorkers: 2,
    // The JSON report lets CI print one plain "N passed, N failed" line at the end.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['app/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/renderer/**'],
        },
      },
      {
        // Each file runs a real Chromium against a real daemon: one file at a time, so two browsers never
        // fight over the two cores, with room for a slow start on a loaded machine.
        extends: true,
        test: {
          name: 'chromium',
          include: ['tests/renderer/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
