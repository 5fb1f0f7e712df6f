/**
 * Brings up the real parts the suite runs against: an embedded PostgreSQL (fresh, in a temp
 * folder) and a Temporal dev server (the provisioned `temporal` CLI, through
 * TestWorkflowEnvironment.createLocal), and bundles the workflow code once. Nothing here skips:
 * if a part cannot start, the run fails and says which.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../infra/config';
import { createSql } from '../../infra/db';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import { migrate } from '../../infra/migrate';
import { provisionTemporalBinary } from '../../infra/temporal-binary';
import { WORKFLOWS_PATH } from '../../worker/worker';
import { startEphemeral } from './ephemeral';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const cfg = loadConfig({ ...process.env, LOG_PRETTY: 'false' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-test-'));
  fs.chmodSync(tmp, 0o755);
  const t0 = Date.now();

  const pg = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
  const sql = createSql(pg.url, { max: 2 });
  await migrate(sql);
  await sql.end();
  const t1 = Date.now();

  const binary = provisionTemporalBinary({ cacheDir: cfg.RECTIFY_CACHE_DIR, explicitPath: cfg.TEMPORAL_BIN, log: console.log });
  const env = await startEphemeral('the Temporal dev server', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        ...(binary ? { executable: { type: 'existing-path', path: binary.path } } : {}),
        ip: '127.0.0.1',
        extraArgs: ['--log-level', 'error'],
      },
    }),
  );
  const t2 = Date.now();

  const bundlePath = path.join(tmp, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  fs.writeFileSync(bundlePath, code);
  const t3 = Date.now();
  console.log(
    `[setup] PostgreSQL ${(t1 - t0) / 1000}s, Temporal dev server (${binary?.source ?? 'sdk-download'}) ${(t2 - t1) / 1000}s, workflow bundle ${(t3 - t2) / 1000}s`,
  );

  project.provide('databaseUrl', pg.url);
  project.provide('temporalAddress', env.address);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await env.teardown();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
