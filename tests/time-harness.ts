/**
 * Harness for workflow tests that live through weeks in seconds: Temporal's time-skipping test
 * server (Java, from Maven Central; see infra/time-skipping-server.ts), optionally with its
 * clock started at a given instant, a real worker on the suite's workflow bundle, the real
 * PostgreSQL of the run, and the API on top.
 */
import crypto from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import type { App } from '../api/app';
import type { Notifier } from '../activities/notifier';
import { loadConfig } from '../infra/config';
import { createSql, type Sql } from '../infra/db';
import { provisionTimeSkippingServer } from '../infra/time-skipping-server';
import type { ActivityDeps } from '../activities';
import { createWorker } from '../worker/worker';
import { installTestRuntime, testApp, workerSwitch } from './harness';
import { startTimeSkippingServer } from '../infra/time-skipping-env';

export interface TimeHarness {
  env: TestWorkflowEnvironment;
  sql: Sql;
  app: App;
  taskQueue: string;
  startWorker(notifier?: Notifier): Promise<void>;
  stopWorker(): Promise<void>;
  /** The test server's current time (ms). */
  now(): Promise<number>;
  /**
   * With `apiClock`: sets the API's "now" (overdue days, 回溯's bound) to the test server's time
   * and returns it; the API's clock stands still between calls, as the workflows' does.
   */
  syncApiClock(): Promise<number>;
  close(): Promise<void>;
}

export async function startTimeHarness(
  opts: {
    clock?: string;
    notifier?: Notifier;
    letters?: Omit<ActivityDeps, 'sql' | 'notifier' | 'startLetterWorkflow'>;
    /**
     * Keep workflows cached between tasks (sticky queues). Several times faster for suites that
     * never restart their worker; the fault suites that do restart it run without (below).
     */
    cache?: boolean;
    /** The API reads its "now" from the test server (see syncApiClock), not from the machine. */
    apiClock?: boolean;
  } = {},
): Promise<TimeHarness> {
  installTestRuntime();
  const cfg = loadConfig({ ...process.env, LOG_PRETTY: 'false' });
  const wrapper = provisionTimeSkippingServer({ cacheDir: cfg.RECTIFY_CACHE_DIR });
  const server = await startTimeSkippingServer(wrapper, opts.clock ? { clock: opts.clock } : {});
  const env = server.env;
  const sql = createSql(inject('databaseUrl'), { max: 5 });
  const taskQueue = `ts-${crypto.randomUUID()}`;

  const { startWorker, stopWorker } = workerSwitch(sql, taskQueue, (notifier?: Notifier) =>
    createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      sql,
      client: env.client,
      workflowBundlePath: inject('workflowBundlePath'),
      // By default no workflow cache, hence no sticky queues: a restarted worker gets the next
      // task at once (the time-skipping server would otherwise hold it for the departed worker),
      // and every task replays the whole history — a determinism check on every step for free.
      extra: opts.cache ? { maxCachedWorkflows: 500, stickyQueueScheduleToStartTimeout: '1s' } : { maxCachedWorkflows: 0 },
      ...((notifier ?? opts.notifier) ? { notifier: notifier ?? opts.notifier } : {}),
      ...(opts.letters ? { letters: opts.letters } : {}),
    }),
  );
  await startWorker();

  let apiNow = await env.currentTimeMs();
  const app = await testApp(sql, env.client, taskQueue, opts.apiClock ? { clock: () => apiNow } : {});

  return {
    env,
    sql,
    app,
    taskQueue,
    startWorker,
    stopWorker,
    now: () => env.currentTimeMs(),
    async syncApiClock() {
      apiNow = await env.currentTimeMs();
      return apiNow;
    },
    async close() {
      await app.close();
      await stopWorker();
      await sql.end();
      await server.teardown();
    },
  };
}
