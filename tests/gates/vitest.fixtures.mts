import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-ignore TS5097: the type checker wants no '.mts' in a path; the config loader needs it.
import base from '../../vitest.config.mts';

// The project's own test configuration — the same global set-up with PostgreSQL and Temporal —
// pointed at the fixtures of tests/gates.test.ts instead of the suite. FIXTURE picks one.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { ...base.test, include: [`tests/gates/fixtures/${process.env.FIXTURE ?? '*'}.check.ts`] },
});
