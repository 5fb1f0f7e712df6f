/** Whether each part the API depends on answers: PostgreSQL, the Temporal server, a worker. */
import type { Client } from '@temporalio/client';
import type { Sql } from '../../infra/db';

export interface HealthReport {
  ok: boolean;
  checks: Record<'postgres' | 'temporal' | 'worker', { ok: boolean; detail: string }>;
}

/** A worker counts as alive if it polled the task queue within this window. */
const WORKER_POLL_WINDOW_MS = 90_000;

export function createHealthService(deps: { sql: Sql; temporal: Client; namespace: string; taskQueue: string }) {
  const withTimeout = <T>(p: Promise<T>, ms = 3000) =>
    Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms).unref())]);

  return {
    async check(): Promise<HealthReport> {
      const [postgres, temporal, worker] = await Promise.all([
        withTimeout(deps.sql`select 1`).then(
          () => ({ ok: true, detail: 'reachable' }),
          (e: Error) => ({ ok: false, detail: `unreachable: ${e.message}` }),
        ),
        withTimeout(deps.temporal.workflowService.getSystemInfo({})).then(
          (r) => ({ ok: true, detail: `reachable (server ${r.serverVersion || 'unknown version'})` }),
          (e: Error) => ({ ok: false, detail: `unreachable: ${e.message}` }),
        ),
        withTimeout(
          deps.temporal.workflowService.describeTaskQueue({
            namespace: deps.namespace,
            taskQueue: { name: deps.taskQueue },
            taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
          }),
        ).then(
          (r) => {
            const now = Date.now();
            const live = (r.pollers ?? []).filter((p) => {
              const t = p.lastAccessTime;
              const ms = t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
              return now - ms < WORKER_POLL_WINDOW_MS;
            });
            return live.length
              ? { ok: true, detail: `${live.length} worker(s) polling task queue "${deps.taskQueue}"` }
              : { ok: false, detail: `no worker polling task queue "${deps.taskQueue}"` };
          },
          (e: Error) => ({ ok: false, detail: `cannot ask Temporal: ${e.message}` }),
        ),
      ]);
      return { ok: postgres.ok && temporal.ok && worker.ok, checks: { postgres, temporal, worker } };
    },
  };
}
