/** Whether each part the API depends on answers: PostgreSQL, the Temporal server, a worker. */
import type { Client } from '@temporalio/client';
import type { Sql } from '../../infra/db';

export interface HealthReport {
  ok: boolean;
  checks: Record<'postgres' | 'temporal' | 'worker', { ok: boolean; detail: string }>;
}

/** A worker counts as alive if its heartbeat (worker/worker.ts, every 5 s) is this recent. */
const WORKER_STALE_AFTER_S = 20;

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
          deps.sql<{ n: number }[]>`
            select count(*)::int as n from worker_heartbeats
            where task_queue = ${deps.taskQueue} and seen_at > now() - make_interval(secs => ${WORKER_STALE_AFTER_S})`,
        ).then(
          ([r]) =>
            r!.n > 0
              ? { ok: true, detail: `${r!.n} worker(s) serving task queue "${deps.taskQueue}"` }
              : { ok: false, detail: `no worker serving task queue "${deps.taskQueue}"` },
          (e: Error) => ({ ok: false, detail: `unknown (PostgreSQL: ${e.message})` }),
        ),
      ]);
      return { ok: postgres.ok && temporal.ok && worker.ok, checks: { postgres, temporal, worker } };
    },
  };
}
