import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real PostgreSQL and one real Temporal dev server for the whole run (tests/setup/global.ts).
    globalSetup: ['tests/setup/global.ts'],
    // Two test files at a time (each runs its own worker on its own task queue, against the one
    // PostgreSQL and Temporal dev server): most of a file's time is waiting — on timers, polls,
    // the browser — so two overlap well on two cores.
    fileParallelism: true,
    maxWorkers: 2,
    // Integration tests on two cores shared by two files: generous, so a slow machine is not a failure.
    testTimeout: 120_000,
    // expect.poll waits on real servers and a real browser: a page or a workflow can take longer
    // than vitest's 1 s default on two busy cores. Polls that need more say so themselves.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
