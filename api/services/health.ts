/** Whether each part the API depends on answers: PostgreSQL, the Temporal server, a worker. */
import os from 'node:os';
import type { Client } from '@temporalio/client';
import type { Sql } from '../../infra/db';
import { isAlive } from '../../infra/processes';
import { temporalProbe, type TemporalProbe } from './temporal-probe';

export interface HealthReport {
  ok: boolean;
  checks: Record<'postgres' | 'temporal' | 'worker', { ok: boolean; detail: string }>;
}

/**
 * A worker counts as alive if its heartbeat (worker/worker.ts, every 5 s) is this recent: two
 * beats missed and it is gone. (Was 20 s: a worker killed and restarted counted twice.)
 */
const WORKER_STALE_AFTER_S = 11;

/** A worker's identity is `pid@host` (the SDK's default): on this host, a pid that is gone is a dead worker. */
function deadHere(identity: string): boolean {
  const m = /^(\d+)@(.+)$/.exec(identity);
  return !!m && m[2] === os.hostname() && !isAlive(Number(m[1]));
}

export function createHealthService(deps: { sql: Sql; temporal: Client; namespace: string; taskQueue: string; probe?: TemporalProbe }) {
  const withTimeout = <T>(p: Promise<T>, ms = 3000) =>
    Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms).unref())]);
  const probe = deps.probe ?? temporalProbe(deps.temporal);

  return {
    async check(): Promise<HealthReport> {
      const [postgres, temporal, beats] = await Promise.all([
        withTimeout(deps.sql`select 1`).then(
          () => ({ ok: true, detail: 'reachable' }),
          (e: Error) => ({ ok: false, detail: `unreachable: ${e.message}` }),
        ),
        probe.check().then((r) => (r.ok ? { ok: true, detail: `reachable (server ${r.serverVersion})` } : { ok: false, detail: `unreachable: ${r.detail}` })),
        withTimeout(
          deps.sql<{ identity: string }[]>`
            select identity from worker_heartbeats
            where task_queue = ${deps.taskQueue} and seen_at > now() - make_interval(secs => ${WORKER_STALE_AFTER_S})`,
        ).then(
          (rows) => ({ identities: rows.map((r) => r.identity).filter((i) => !deadHere(i)) }),
          (e: Error) => ({ error: e.message }),
        ),
      ]);
      let worker: { ok: boolean; detail: string };
      if ('error' in beats) worker = { ok: false, detail: `unknown (PostgreSQL: ${beats.error})` };
      else if (!beats.identities.length) worker = { ok: false, detail: `no worker serving task queue "${deps.taskQueue}"` };
      // A worker polls Temporal: with Temporal away it serves nothing, alive or not.
      else if (!temporal.ok) worker = { ok: false, detail: `${beats.identities.length} worker process(es) alive but Temporal is unreachable: nothing is being served` };
      else worker = { ok: true, detail: `${beats.identities.length} worker(s) serving task queue "${deps.taskQueue}"` };
      return { ok: postgres.ok && temporal.ok && worker.ok, checks: { postgres, temporal, worker } };
    },
  };
}
