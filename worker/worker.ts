/**
 * Builds the Temporal worker: the workflow bundle plus the activities built from their
 * dependencies. Used by worker/main.ts (production), the start command and the tests.
 */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Sql } from '../infra/db';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  sql: Sql;
  /** A prebuilt bundle (tests build one once for every file); otherwise bundled from source. */
  workflowBundlePath?: string;
  extra?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ sql: opts.sql }),
    ...opts.extra,
  });
}
