/**
 * Builds the Temporal worker: the workflow bundle plus the activities built from their
 * dependencies, and a liveness heartbeat in PostgreSQL for /health. Used by worker/main.ts
 * (production), the start command and the tests.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Notifier } from '../activities/notifier';
import type { Sql } from '../infra/db';
import { letterWorkflow, letterWorkflowId } from '../workflows/letter';
import { enlistSignal, unitLetterWorkflow } from '../workflows/unit-letter';
import { unitLetterWorkflowId, type BatchEntry, type UnitLetterBatch } from '../domain/letters/batch';
import type { Config } from '../infra/config';
import { createChannels, type Channels } from '../delivery';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');
export const HEARTBEAT_INTERVAL_MS = 5_000;

export interface RectifyWorker {
  worker: Worker;
  /** Runs until shutdown; heartbeats while running and removes its heartbeat at the end. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  sql: Sql;
  /** A prebuilt bundle (tests build one once for every file); otherwise bundled from source. */
  workflowBundlePath?: string;
  /** Where notices go (default: the in-app inbox in PostgreSQL). */
  notifier?: Notifier;
  /** Letter delivery: channels (e-mail, webhooks), the public URL in letters, test fault hooks. */
  letters?: Omit<ActivityDeps, 'sql' | 'notifier' | 'startLetterWorkflow' | 'enlistInUnitLetter' | 'simulations'>;
  /** 试运行: the PostgreSQL server simulations create their databases on, the cache of the time-skipping server. */
  simulations?: ActivityDeps['simulations'];
  /** A client of the same namespace: issuing activities start each letter's workflow with it. */
  client: Client;
  extra?: Partial<WorkerOptions>;
}): Promise<RectifyWorker> {
  const { sql, taskQueue } = opts;
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue,
    ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ sql, ...(opts.notifier ? { notifier: opts.notifier } : {}), ...opts.letters, ...(opts.simulations ? { simulations: opts.simulations } : {}), startLetterWorkflow: letterStarter(opts.client, taskQueue), enlistInUnitLetter: unitLetterEnlister(opts.client, taskQueue) }),
    ...opts.extra,
  });
  const workerId = crypto.randomUUID();
  const identity = worker.options.identity;
  const beat = () =>
    sql`insert into worker_heartbeats (worker_id, task_queue, identity) values (${workerId}, ${taskQueue}, ${identity})
        on conflict (worker_id) do update set seen_at = now()`.catch(() => {
      /* PostgreSQL away: /health will say so; the worker itself keeps going. */
    });

  return {
    worker,
    async run() {
      await beat();
      const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
      try {
        await worker.run();
      } finally {
        clearInterval(timer);
        await sql`delete from worker_heartbeats where worker_id = ${workerId}`.catch(() => {});
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}

/** The worker's letter delivery settings from the configuration: channels and links. */
export function letterDeliveryConfig(cfg: Config): { channels: Channels; publicUrl: string; mailDomain: string } {
  return {
    channels: createChannels({ smtpUrl: cfg.RECTIFY_SMTP_URL ?? null, mailFrom: cfg.RECTIFY_MAIL_FROM }),
    publicUrl: cfg.RECTIFY_PUBLIC_URL,
    mailDomain: cfg.RECTIFY_MAIL_DOMAIN,
  };
}

/** Starts a letter's workflow on this worker's task queue; already started (a retry) is done. */
export function letterStarter(client: Client, taskQueue: string): (letterId: string) => Promise<void> {
  return async (letterId) => {
    try {
      await client.workflow.start(letterWorkflow, { workflowId: letterWorkflowId(letterId), taskQueue, args: [{ letterId }] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}

/** Puts a ladder step into its unit's letter of that rung and day, starting the collecting workflow with the first. */
export function unitLetterEnlister(client: Client, taskQueue: string): (batch: UnitLetterBatch, entry: BatchEntry) => Promise<void> {
  return async (batch, entry) => {
    const workflowId = unitLetterWorkflowId(batch);
    try {
      await client.workflow.signalWithStart(unitLetterWorkflow, { workflowId, taskQueue, args: [batch], signal: enlistSignal, signalArgs: [entry] });
    } catch (err) {
      // Two steps of the unit racing to start its letter (seen on the time-skipping test server):
      // the other one started it, so signal that run; anything else, the activity retries.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      await client.workflow.getHandle(workflowId).signal(enlistSignal, entry);
    }
  };
}
