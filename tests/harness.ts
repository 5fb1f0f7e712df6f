/**
 * Per-file harness: a real PostgreSQL client, a real Temporal client, a real worker on its own
 * task queue (so files never see each other's workflows), and the Fastify app for app.inject.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { expect, inject, vi } from 'vitest';
import { buildApp, type App } from '../api/app';
import { loadConfig } from '../infra/config';
import { createSql, type Sql } from '../infra/db';
import type { EvidenceStoreOptions } from '../infra/evidence-store';
import { createWorker, type RectifyWorker } from '../worker/worker';
import { runningCampaign } from './dates';

export const OFFICE_TOKEN = 'test-office-token';
export const office = { authorization: `Bearer ${OFFICE_TOKEN}` };

export interface Harness {
  sql: Sql;
  client: Client;
  app: App;
  taskQueue: string;
  /** Stops the worker (to simulate a crash or a restart); `startWorker` brings a new one. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

let runtimeInstalled = false;
/** The SDK's own logs at WARN: a test run's output is for test results. Once per process. */
export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export interface HarnessOptions {
  /** false: no worker until `startWorker` (default: one is started). */
  worker?: boolean;
  /** Where the app keeps evidence files' bytes (default: PostgreSQL). */
  evidenceStore?: EvidenceStoreOptions;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  installTestRuntime();
  const sql = createSql(inject('databaseUrl'), { max: 5 });
  const address = inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `test-${crypto.randomUUID()}`;

  const { startWorker, stopWorker } = workerSwitch(sql, taskQueue, () =>
    createWorker({
      connection: nativeConnection, namespace: 'default', taskQueue, sql, client, workflowBundlePath: inject('workflowBundlePath'),
      // 试运行 as the start command configures it: a database of its own on the run's PostgreSQL.
      simulations: { databaseUrl: inject('databaseUrl'), cacheDir: loadConfig(process.env).RECTIFY_CACHE_DIR, workflowBundlePath: inject('workflowBundlePath') },
    }),
  );
  if (opts.worker !== false) await startWorker();

  const app = await testApp(sql, client, taskQueue, { evidenceStore: opts.evidenceStore });

  return {
    sql,
    client,
    app,
    taskQueue,
    stopWorker,
    startWorker,
    async close() {
      await app.close();
      await stopWorker();
      await nativeConnection.close();
      await connection.close();
      await sql.end();
    },
  };
}

/** The API as tests drive it: through app.inject, as the office with OFFICE_TOKEN, no logs. */
export async function testApp(sql: Sql, temporal: Client, taskQueue: string, opts: Pick<HarnessOptions, 'evidenceStore'> & { clock?: () => number } = {}): Promise<App> {
  // No rate limit: tests poll as fast as they like; tests/fuzz.test.ts checks the limiter itself.
  const app = await buildApp({
    sql,
    temporal,
    namespace: 'default',
    taskQueue,
    temporalUiUrl: 'http://127.0.0.1:8233',
    officeToken: OFFICE_TOKEN,
    evidenceStore: opts.evidenceStore,
    ...(opts.clock ? { clock: opts.clock } : {}),
    logger: false,
    rateLimit: { max: 0, windowMs: 60_000 },
  });
  await app.ready();
  return app;
}

/**
 * Starts and stops a test's worker (to simulate a crash or a restart); a started worker is
 * ready once its heartbeat is written, the first thing run() does.
 */
export function workerSwitch<A extends unknown[]>(sql: Sql, taskQueue: string, create: (...args: A) => Promise<RectifyWorker>) {
  let worker: RectifyWorker | undefined;
  let running: Promise<void> | undefined;
  return {
    async startWorker(...args: A) {
      worker = await create(...args);
      running = worker.run();
      await vi.waitFor(async () => {
        const [r] = await sql`select count(*)::int as n from worker_heartbeats where task_queue = ${taskQueue}`;
        if (!r!.n) throw new Error('worker not up yet');
      });
    },
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
      running = undefined;
    },
  };
}

/** A unique suffix so files and tests never collide on unit names or campaign codes. */
export const uniq = () => crypto.randomBytes(4).toString('hex');

/** Uploads evidence files to an item as a browser does: multipart/form-data, field `files`. */
export function uploadEvidence(app: App, itemId: string, headers: Record<string, string>, files: { name: string; bytes: Buffer }[]) {
  const boundary = `----test${uniq()}`;
  const payload = Buffer.concat([
    ...files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n')]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return app.inject({ method: 'POST', url: `/api/v1/items/${itemId}/evidence`, payload, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

/** Adds a unit and issues a token for it; returns the unit id and the auth header. */
export async function unitWithToken(h: { app: App }, name: string, aliases: string[] = []) {
  const unit = await h.app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: { name, kind: 'department', aliases } });
  if (unit.statusCode !== 201) throw new Error(`unit create failed: ${unit.body}`);
  const id = unit.json().id as string;
  const tok = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'unit', name: `${name} 联络员`, unitId: id } });
  if (tok.statusCode !== 201) throw new Error(`token issue failed: ${tok.body}`);
  return { id, name, headers: { authorization: `Bearer ${tok.json().token as string}` } };
}

/**
 * A campaign running today and for a year (tests/dates.ts): tests on the real clock create their
 * items now, and a campaign with fixed dates would one day have ended before they run (no more
 * report dues, long-term items closable, dispatch past its end). Suites on the time-skipping
 * server set dates that fit their clock instead.
 */
export async function newCampaign(h: { app: App }, extra: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: office,
    payload: { title: `测试专项行动 ${uniq()}`, ...runningCampaign(), ...extra },
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`campaign create failed: ${res.body}`);
  return res.json().id as string;
}

/** Adds items to a campaign as the office (all or nothing); their ids by number. Anything but 201 fails the test. */
export async function addItems(h: { app: App }, campaignId: string, items: object[]): Promise<Record<string, string>> {
  const r = await h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/items`, headers: office, payload: { items } });
  expect(r.statusCode, r.body).toBe(201);
  return Object.fromEntries(r.json().items.map((i: { number: string; id: string }) => [i.number, i.id]));
}

/**
 * An item action as a careful client sends it: with an Idempotency-Key, repeated with the same key
 * when the API answers 503 (a new item's first workflow task can be slow on a busy two-core
 * machine); anything but 200 in the end fails the test.
 */
export async function actOnItem(h: { app: App }, itemId: string, segment: string, payload: object, headers: Record<string, string> = office) {
  const key = `${segment}:${itemId}:${uniq()}`;
  for (let attempt = 1; ; attempt++) {
    const r = await h.app.inject({ method: 'POST', url: `/api/v1/items/${itemId}/${segment}`, payload, headers: { ...headers, 'idempotency-key': key } });
    if (r.statusCode === 503 && attempt < 4) continue;
    expect(r.statusCode, r.body).toBe(200);
    return;
  }
}
