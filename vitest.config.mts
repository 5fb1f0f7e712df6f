import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real PostgreSQL and one real Temporal dev server for the whole run (tests/setup/global.ts).
    globalSetup: ['tests/setup/global.ts'],
    // Two cores: run test files one after another; each file runs its own worker.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
