/**
 * The workflow outbox: a commit that owes Temporal a workflow (new items, a new campaign) writes
 * a row here in the same transaction. The request starts the workflows itself right after the
 * commit; whatever it could not start — Temporal away, the client gone, the process killed — is
 * started by the drainer, a loop in every API process that sweeps the rows of its task queue
 * every OUTBOX_SWEEP_MS (default 2 s). Starting is idempotent and once in a workflow's life: the
 * workflow id is the item's or the campaign's, a running one is joined (USE_EXISTING) and a
 * closed one is never started again (REJECT_DUPLICATE: "already started" counts as done), so two
 * drainers, a drainer and a request, or a repair after the workflow completed never start twice.
 *
 * The sweep also keeps the tables the API writes from growing for ever: now and then it forgets
 * starts done a week ago and Idempotency-Keys older than their retention
 * (IDEMPOTENCY_KEY_RETENTION_DAYS), in bounded batches.
 */
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Sql } from '../../infra/db';
import { isAlreadyStarted } from './temporal-errors';

export const DEFAULT_OUTBOX_SWEEP_MS = 2_000;
export const DEFAULT_IDEMPOTENCY_KEY_RETENTION_DAYS = 7;
/** How long a start from the request path may take before the drainer is left to do it. */
const START_DEADLINE_MS = 5_000;
const START_CONCURRENCY = 32;
const SWEEP_BATCH = 500;
/** Housekeeping every this many sweeps (about half an hour at the default interval), and on each sweep while a backlog lasts. */
const HOUSEKEEPING_EVERY = 1_000;
/** Rows deleted per table and sweep: a backlog goes in steps that never hold the sweep up. */
const PURGE_BATCH = 1_000;

/** One start in a workflow's life: a running one is joined, a closed one is not started again. */
export const START_ONCE = {
  workflowIdConflictPolicy: 'USE_EXISTING',
  workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
} as const satisfies Pick<WorkflowStartOptions, 'workflowIdConflictPolicy' | 'workflowIdReusePolicy'>;

export interface OutboxEntry {
  workflowId: string;
  workflowType: string;
  args: unknown[];
}

interface OutboxRow extends OutboxEntry {
  taskQueue: string;
}

export function createOutbox(deps: {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  log?: { warn(o: object, m: string): void; info(o: object, m: string): void };
  /** OUTBOX_SWEEP_MS. */
  sweepMs?: number;
  /** IDEMPOTENCY_KEY_RETENTION_DAYS. */
  idempotencyKeyRetentionDays?: number;
}) {
  const { sql, temporal } = deps;
  const sweepMs = deps.sweepMs ?? DEFAULT_OUTBOX_SWEEP_MS;
  const retentionDays = deps.idempotencyKeyRetentionDays ?? DEFAULT_IDEMPOTENCY_KEY_RETENTION_DAYS;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  /** In the caller's transaction: the starts this commit owes. */
  async function record(tx: Sql, entries: OutboxEntry[]): Promise<void> {
    if (!entries.length) return;
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000).map((e) => ({
        workflowId: e.workflowId,
        workflowType: e.workflowType,
        taskQueue: deps.taskQueue,
        args: tx.json(e.args as never),
      }));
      await tx`insert into workflow_outbox ${tx(chunk)} on conflict (workflow_id) do nothing`;
    }
  }

  async function startOne(row: OutboxRow): Promise<void> {
    try {
      await temporal.workflow.start(row.workflowType, {
        workflowId: row.workflowId,
        taskQueue: row.taskQueue,
        args: row.args,
        // A repeated start (a retry, another drainer) attaches to the running workflow; one that
        // already ran to its end is refused, never run a second time.
        ...START_ONCE,
      });
    } catch (err) {
      // Already ran to completion: nothing to start.
      if (!isAlreadyStarted(err)) throw err;
    }
    await sql`update workflow_outbox set started_at = now(), attempts = attempts + 1, last_error = null where workflow_id = ${row.workflowId}`;
  }

  /** Starts the rows; returns how many failed (their error is kept on the row). */
  async function startRows(rows: OutboxRow[], deadlineMs?: number): Promise<{ started: number; failed: number; error?: unknown }> {
    let next = 0;
    let started = 0;
    let failed = 0;
    let error: unknown;
    const one = async (row: OutboxRow) => {
      try {
        await (deadlineMs ? temporal.connection.withDeadline(Date.now() + deadlineMs, () => startOne(row)) : startOne(row));
        started++;
      } catch (err) {
        failed++;
        error ??= err;
        await sql`update workflow_outbox set attempts = attempts + 1, last_error = ${String((err as Error)?.message ?? err).slice(0, 500)}
                  where workflow_id = ${row.workflowId}`.catch(() => {});
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(START_CONCURRENCY, rows.length) }, async () => {
        while (next < rows.length) await one(rows[next++]!);
      }),
    );
    return { started, failed, error };
  }

  /**
   * Forgets starts done a week ago (the workflow is Temporal's to keep) and Idempotency-Keys past
   * their retention (a retry that late is a new request), at most PURGE_BATCH rows of each; rows
   * another API process is deleting are skipped. Returns how many rows went.
   */
  async function housekeep(): Promise<{ outbox: number; idempotencyKeys: number }> {
    const outbox = await sql`
      delete from workflow_outbox where workflow_id in (
        select workflow_id from workflow_outbox where started_at < now() - interval '7 days'
        limit ${PURGE_BATCH} for update skip locked)`;
    const keys = await sql`
      delete from idempotency_keys where (principal, scope, key) in (
        select principal, scope, key from idempotency_keys where created_at < now() - make_interval(days => ${retentionDays})
        limit ${PURGE_BATCH} for update skip locked)`;
    return { outbox: outbox.count, idempotencyKeys: keys.count };
  }

  let sweeps = 0;
  let backlog = false;
  async function sweep(): Promise<number> {
    const due = sweeps++ % HOUSEKEEPING_EVERY === 0;
    if (due || backlog) {
      const purged = await housekeep();
      backlog = purged.outbox === PURGE_BATCH || purged.idempotencyKeys === PURGE_BATCH;
      if (purged.outbox || purged.idempotencyKeys) deps.log?.info(purged, 'outbox: purged old rows');
    }
    const rows = await sql<OutboxRow[]>`
      select workflow_id, workflow_type, task_queue, args from workflow_outbox
      where task_queue = ${deps.taskQueue} and started_at is null
      order by created_at limit ${SWEEP_BATCH}`;
    if (!rows.length) return 0;
    const r = await startRows(rows, START_DEADLINE_MS);
    if (r.started) deps.log?.info({ started: r.started, failed: r.failed }, 'outbox: started owed workflows');
    if (r.failed) deps.log?.warn({ failed: r.failed, err: r.error }, 'outbox: workflows not started yet (will retry)');
    return r.started;
  }

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = () => {
    if (running || stopped) return;
    running = sweep()
      .catch((err) => deps.log?.warn({ err }, 'outbox sweep failed (will retry)'))
      .then(() => undefined)
      .finally(() => {
        running = undefined;
        schedule(sweepMs);
      });
  };

  return {
    record,
    sweep,
    housekeep,
    /** After the commit: start what this request owes now (within a few seconds); the drainer does the rest. */
    async startNow(entries: OutboxEntry[]): Promise<{ started: number; failed: number; error?: unknown }> {
      const r = await startRows(entries.map((e) => ({ ...e, taskQueue: deps.taskQueue })), START_DEADLINE_MS);
      if (r.failed) schedule(0);
      return r;
    },
    /** Starts the drainer loop (idempotent). */
    start(intervalMs = sweepMs): void {
      if (!stopped) return;
      stopped = false;
      schedule(Math.min(intervalMs, 200));
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
