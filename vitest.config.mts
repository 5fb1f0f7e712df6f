import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real PostgreSQL and one real Temporal dev server for the whole run (tests/setup/global.ts).
    globalSetup: ['tests/setup/global.ts'],
    // Two cores: test files one after another; each file runs its own worker. Two at a time was
    // about 15 instead of 19 minutes, but shared cores made timing-bound checks flaky (a calendar
    // activation over the 10 s hang bound, a demo load over a minute): left for when it is not.
    fileParallelism: false,
    // Integration tests on two cores shared by two files: generous, so a slow machine is not a failure.
    testTimeout: 120_000,
    // expect.poll waits on real servers and a real browser: a page or a workflow can take longer
    // than vitest's 1 s default on two busy cores. Polls that need more say so themselves.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
