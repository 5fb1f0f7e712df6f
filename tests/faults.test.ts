/**
 * Faults, for real: keys reused across callers and bodies, Temporal and PostgreSQL away, a client
 * dropping its connection mid-request, a start command's child killed, a dead worker's heartbeat.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLetterDeliveryActivities } from '../activities/letter-delivery';
import type { Sql } from '../infra/db';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createSql } from '../infra/db';
import { supervise, type Child } from '../infra/supervise';
import type { App } from '../api/app';
import { createOutbox } from '../api/services/outbox';
import { itemWorkflowId } from '../workflows/item';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, testApp, uniq, unitWithToken, type Harness } from './harness';
import { freePort } from './setup/free-port';

let h: Harness;
let deadPort: number;
/** The same API, but its Temporal client points where nothing listens. */
let deadTemporal: { app: App; connection: Connection };

beforeAll(async () => {
  h = await startHarness();
  deadPort = await freePort();
  const connection = await Connection.lazy({ address: `127.0.0.1:${deadPort}` });
  deadTemporal = { app: await testApp(h.sql, new Client({ connection, namespace: 'default' }), h.taskQueue), connection };
});
afterAll(async () => {
  await deadTemporal?.app.close();
  await deadTemporal?.connection.close().catch(() => {});
  await h?.close();
});

async function itemFor(units: { name: string }[]) {
  const campaignId = await newCampaign(h);
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/items`,
    headers: office,
    payload: { items: [{ number: '1', content: '污水管网改造', deadline: farDeadline(), leadUnits: units.map((u) => u.name) }] },
  });
  expect(res.statusCode).toBe(201);
  return { campaignId, id: res.json().items[0].id as string };
}

const act = (app: App, id: string, action: string, headers: Record<string, string>, payload: object, key?: string) =>
  app.inject({ method: 'POST', url: `/api/v1/items/${id}/${action}`, headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) }, payload });

async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('11. Idempotency-Key: scoped to the caller, the item and the action; another body is 422', () => {
  it('answers a reused key with another body 422 and keeps a retried identical request safe', async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const { id } = await itemFor([tb]);
    expect((await act(h.app, id, 'acknowledge', tb.headers, {})).statusCode).toBe(200);
    const key = `k-${uniq()}`;
    const first = await act(h.app, id, 'report-progress', tb.headers, { text: '完成一成', percent: 10 }, key);
    expect(first.statusCode).toBe(200);
    expect(first.json().progressPercent).toBe(10);
    // The retry of the same request: the same answer, applied once.
    const retry = await act(h.app, id, 'report-progress', tb.headers, { percent: 10, text: '完成一成' }, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    // The same key for another report: refused, not silently answered with the first one.
    const reused = await act(h.app, id, 'report-progress', tb.headers, { text: '完成九成', percent: 90 }, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const events = await h.sql`select type from item_events where item_id = ${id} and type = 'reportProgress'`;
    expect(events).toHaveLength(1);
    // A new key for the new report works.
    const next = await act(h.app, id, 'report-progress', tb.headers, { text: '完成九成', percent: 90 }, `k-${uniq()}`);
    expect(next.statusCode).toBe(200);
    expect(next.json().progressPercent).toBe(90);
  });

  it("does not let one unit's key stand for another unit's report", async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const { id } = await itemFor([tb, zj]);
    expect((await act(h.app, id, 'acknowledge', tb.headers, {})).statusCode).toBe(200);
    expect((await act(h.app, id, 'acknowledge', zj.headers, {})).statusCode).toBe(200);
    const key = `shared-${uniq()}`;
    expect((await act(h.app, id, 'report-progress', tb.headers, { text: '洮北区完成一成', percent: 10 }, key)).statusCode).toBe(200);
    const theirs = await act(h.app, id, 'report-progress', zj.headers, { text: '住建局完成三成', percent: 30 }, key);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().progressPercent).toBe(30);
    const parts = await h.sql<{ unitId: string; reports: number; lastPercent: number }[]>`
      select unit_id, reports, last_percent from item_unit_parts where item_id = ${id} order by last_percent`;
    expect(parts.map((p) => [p.unitId, p.reports, p.lastPercent])).toEqual([
      [tb.id, 1, 10],
      [zj.id, 1, 30],
    ]);
  });

  it('refuses a delist key reused for another unit with 422', async () => {
    const a = await unitWithToken(h, `洮南市-${uniq()}`);
    const b = await unitWithToken(h, `镇赉县-${uniq()}`);
    const campaignId = await newCampaign(h);
    const key = `delist-${uniq()}`;
    const delist = (unitId: string) =>
      h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/listed/${unitId}/delist`, headers: { ...office, 'idempotency-key': key }, payload: { reason: '整改到位' } });
    const first = await delist(a.id);
    expect(first.statusCode).toBe(409); // not listed: refused by the workflow
    expect((await delist(a.id)).statusCode).toBe(409); // the same request again: the same answer
    const other = await delist(b.id);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});

describe('16. Temporal away: 503 TEMPORAL_UNAVAILABLE at once, nothing committed', () => {
  it('refuses a new campaign quickly and commits nothing', async () => {
    const title = `Temporal 不在时的专项行动 ${uniq()}`;
    const t = Date.now();
    const res = await deadTemporal.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: office, payload: { title, startDate: '2026-01-01', endDate: '2026-12-31' } });
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE', messageZh: expect.stringContaining('Temporal 服务不可用') });
    // A fixed message naming the part: never the client's error text (addresses, ports, internals).
    expect(res.json().message).toMatch(/Temporal 服务不可用/);
    expect(res.body).not.toContain(String(deadPort));
    expect(res.body).not.toMatch(/ECONNREFUSED|deadline|no answer/i);
    expect(await h.sql`select 1 from campaigns where title = ${title}`).toHaveLength(0);
  });

  it('refuses new items quickly and commits none', async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const campaignId = await newCampaign(h);
    const t = Date.now();
    const res = await deadTemporal.app.inject({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/items`,
      headers: office,
      payload: { items: [{ number: '1', content: '黑臭水体治理', deadline: farDeadline(), leadUnits: [tb.name] }] },
    });
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE' });
    expect(await h.sql`select 1 from items where campaign_id = ${campaignId}`).toHaveLength(0);
  });

  it('answers an item action 503 naming Temporal, not the worker, within seconds', async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const { id } = await itemFor([tb]);
    const t = Date.now();
    const res = await act(deadTemporal.app, id, 'acknowledge', tb.headers, {}, `k-${uniq()}`);
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE' });
    expect(res.json().message).not.toMatch(/no worker/);
    expect(res.body).not.toContain(String(deadPort));
  });
});

describe('17. PostgreSQL away: 503 DATABASE_UNAVAILABLE, fast', () => {
  it('answers a read at a closed port 503 naming PostgreSQL', async () => {
    const port = await freePort();
    const sql = createSql(`postgres://rectify:rectify@127.0.0.1:${port}/rectify`, { max: 1 });
    const app = await testApp(sql, h.client, h.taskQueue);
    try {
      const t = Date.now();
      const res = await app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: office });
      expect(Date.now() - t).toBeLessThan(5_000);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', messageZh: expect.stringContaining('PostgreSQL') });
      // A fixed message naming the part, not the driver's text.
      expect(res.json().message).toMatch(/PostgreSQL 数据库不可用/);
      expect(res.body).not.toContain(String(port));
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await app.close();
      await sql.end({ timeout: 0 });
    }
  });

  it('gives up on a server that accepts but never answers within the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // accepts, says nothing
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sql = createSql(`postgres://rectify:rectify@127.0.0.1:${(silent.address() as net.AddressInfo).port}/rectify`, { max: 2 });
    const app = await testApp(sql, h.client, h.taskQueue);
    try {
      const t = Date.now();
      const res = await app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: office });
      expect(Date.now() - t).toBeLessThan(8_000); // connect_timeout 5 s (PG_CONNECT_TIMEOUT_S)
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    } finally {
      await app.close();
      await sql.end({ timeout: 0 });
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  }, 40_000);

  it('cancels a statement that runs past the statement timeout', async () => {
    const sql = createSql(inject('databaseUrl'), { max: 1, statementTimeoutMs: 500 });
    try {
      await expect(sql`select pg_sleep(3)`).rejects.toMatchObject({ code: '57014' });
    } finally {
      await sql.end();
    }
  });
});

describe('18. /health says what is true', () => {
  it('does not count a worker whose process is gone', async () => {
    await h.sql`insert into worker_heartbeats (worker_id, task_queue, identity) values (${`dead-${uniq()}`}, ${h.taskQueue}, ${`${deadPid()}@${os.hostname()}`})`;
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.json().checks.worker).toMatchObject({ ok: true, detail: expect.stringMatching(/^1 worker\(s\)/) });
  });

  it('does not call the worker fine while Temporal is unreachable', async () => {
    const res = await deadTemporal.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { temporal: { ok: false }, worker: { ok: false } } });
    expect(res.json().unavailable).toEqual(expect.arrayContaining(['temporal', 'worker']));
  });
});

describe('19. workflows start durably, whatever happens to the request', () => {
  it('starts every item of a request whose client hung up mid-way, without a restart', async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const campaignId = await newCampaign(h);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as net.AddressInfo).port;
    const body = JSON.stringify({
      items: Array.from({ length: 200 }, (_, i) => ({ number: String(i + 1), content: `问题 ${i + 1}`, deadline: farDeadline(), leadUnits: [tb.name] })),
    });
    await new Promise<void>((resolve) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: `/api/v1/campaigns/${campaignId}/items`, headers: { ...office, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
      req.on('error', () => resolve());
      req.end(body, () => setTimeout(() => (req.destroy(), resolve()), 50));
    });
    await vi.waitFor(
      async () => {
        const items = await h.sql<{ id: string }[]>`select id from items where campaign_id = ${campaignId}`;
        expect(items).toHaveLength(200);
        const missing = (await Promise.all(items.map((i) => workflowExists(h.client, itemWorkflowId(i.id))))).filter((x) => !x).length;
        expect(missing).toBe(0);
      },
      { timeout: 20_000, interval: 500 },
    );
  }, 60_000);

  it('starts the workflows a commit owes when the request could not (Temporal refused after the commit)', async () => {
    // A client whose starts fail: Temporal answers (the pre-check passes), but no workflow starts.
    const failing = new Client({
      connection: h.client.connection,
      namespace: 'default',
      interceptors: { workflow: [{ start: () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: connection dropped'), { code: 14 })) }] },
    });
    const app = await testApp(h.sql, failing, h.taskQueue);
    try {
      const tb = await unitWithToken(h, `洮北区-${uniq()}`);
      const campaignId = await newCampaign(h);
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/campaigns/${campaignId}/items`,
        headers: office,
        payload: { items: [1, 2, 3].map((n) => ({ number: String(n), content: `问题 ${n}`, deadline: farDeadline(), leadUnits: [tb.name] })) },
      });
      const items = await h.sql<{ id: string }[]>`select id from items where campaign_id = ${campaignId}`;
      if (items.length === 0) return expect(res.statusCode).toBe(503); // nothing committed: nothing owed
      // Committed: the harness's API (its outbox drainer) starts them within seconds, no restart.
      await vi.waitFor(
        async () => {
          for (const i of items) expect(await workflowExists(h.client, itemWorkflowId(i.id))).toBe(true);
        },
        { timeout: 15_000, interval: 500 },
      );
    } finally {
      await app.close();
    }
  }, 40_000);
});

describe('21. a workflow is started once in its life', () => {
  const runOf = async (workflowId: string) => {
    const d = await h.client.workflow.getHandle(workflowId).describe();
    return { runId: d.runId, status: d.status.name };
  };

  it('does not start a campaign workflow again once it has closed (a repeated create, a repair)', async () => {
    const code = `once-${uniq()}`;
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: office, payload: { code, title: `只启动一次 ${code}`, startDate: '2026-01-01', endDate: '2026-12-31' } });
    expect(created.statusCode).toBe(201);
    const workflowId = created.json().workflowId as string;
    await vi.waitFor(async () => expect(await workflowExists(h.client, workflowId)).toBe(true));
    await h.client.workflow.getHandle(workflowId).terminate('test: the campaign workflow has run its course');
    const closed = await runOf(workflowId);
    expect(closed.status).toBe('TERMINATED');
    // The same code again (create answers the existing campaign and makes sure of its workflow), and the start-up repair.
    const again = await h.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: office, payload: { code, title: `只启动一次 ${code}`, startDate: '2026-01-01', endDate: '2026-12-31' } });
    expect(again.statusCode).toBe(200);
    await h.app.campaigns.ensureWorkflows();
    expect(await runOf(workflowId)).toEqual(closed);
  });

  it('does not start an item workflow again from the outbox once it has closed', async () => {
    const tb = await unitWithToken(h, `洮北区-${uniq()}`);
    const { id } = await itemFor([tb]);
    const workflowId = itemWorkflowId(id);
    await h.client.workflow.getHandle(workflowId).terminate('test: the item workflow has ended');
    const closed = await runOf(workflowId);
    // The outbox owes the start again (a lost acknowledgement, a repair): the drainer takes it as done.
    await h.sql`update workflow_outbox set started_at = null, last_error = null where workflow_id = ${workflowId}`;
    await vi.waitFor(
      async () => {
        const [row] = await h.sql<{ startedAt: string | null; lastError: string | null }[]>`select started_at, last_error from workflow_outbox where workflow_id = ${workflowId}`;
        expect(row).toMatchObject({ startedAt: expect.any(String), lastError: null });
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(await runOf(workflowId)).toEqual(closed);
  });
});

describe('22. Idempotency-Keys are forgotten after their retention', () => {
  it('purges keys older than the retention, in bounded batches, from the outbox sweep', async () => {
    const who = `unit:purge-${uniq()}`;
    await h.sql`
      insert into idempotency_keys (principal, scope, key, request_hash, created_at)
      select ${who}, 'item:x:acknowledge', 'old-' || g, 'h', now() - interval '8 days' from generate_series(1, 1005) g`;
    await h.sql`insert into idempotency_keys (principal, scope, key, request_hash, created_at) values (${who}, 'item:x:acknowledge', 'recent', 'h', now() - interval '6 days')`;
    const outbox = createOutbox({ sql: h.sql, temporal: h.client, taskQueue: `purge-${uniq()}`, idempotencyKeyRetentionDays: 7 });
    const keys = async () => (await h.sql<{ key: string }[]>`select key from idempotency_keys where principal = ${who}`).map((r) => r.key);
    // At most one batch per sweep: a backlog goes in steps, and the next sweep carries on.
    await outbox.sweep();
    expect((await keys()).length).toBeGreaterThanOrEqual(6);
    await outbox.sweep();
    expect(await keys()).toEqual(['recent']);
    // A shorter retention purges what the longer one kept.
    const patient = createOutbox({ sql: h.sql, temporal: h.client, taskQueue: `purge-${uniq()}`, idempotencyKeyRetentionDays: 5 });
    await patient.housekeep();
    expect(await keys()).toEqual([]);
  });
});

describe('15. the start command restarts a child that dies', () => {
  it('restarts a child killed with SIGKILL, with a log line', async () => {
    const lines: string[] = [];
    const spawnChild = async (): Promise<Child & { pid: number }> => {
      const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await new Promise((r) => p.once('spawn', r));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.once('exit', (code, signal) => r({ code, signal })));
      return {
        pid: p.pid!,
        exited,
        stop: async () => {
          if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
          await exited;
        },
      };
    };
    const first = await spawnChild();
    const sup = supervise({ name: 'test child', first, start: spawnChild, log: (m) => lines.push(m), initialBackoffMs: 200 });
    try {
      process.kill(first.pid, 'SIGKILL');
      await vi.waitFor(() => expect(sup.restarts()).toBe(1), { timeout: 5_000 });
      const second = sup.current();
      expect(second.pid).not.toBe(first.pid);
      expect(isAlive(second.pid)).toBe(true);
      expect(lines.join('\n')).toMatch(/test child exited unexpectedly \(code null, signal SIGKILL\); restarting in 0.2 s/);
      // Again: supervision goes on.
      process.kill(second.pid, 'SIGKILL');
      await vi.waitFor(() => expect(sup.restarts()).toBe(2), { timeout: 5_000 });
    } finally {
      await sup.stop();
    }
    expect(isAlive(sup.current().pid)).toBe(false);
  });
});

describe('20. deliver heartbeats', () => {
  it('heartbeats while a delivery is under way, so one lost with its worker is retried within the heartbeat timeout', async () => {
    // A ledger row for the in-app inbox whose write takes 5 s (a stand-in for a slow channel).
    const row = {
      id: 'd1', idempotencyKey: 'k1', letterId: 'l1', unitId: 'u1', unitName: '洮北区', role: 'to', channel: 'inbox', address: null, messageId: 'm1',
      status: 'intended', attempts: 0, lastError: null, possiblyDuplicated: false, docNumber: '整改办〔2026〕1号', title: '提醒函', type: 'reminder_letter',
      issuedOn: '2026-11-02', campaignId: null, itemIds: [],
    };
    const fake = Object.assign(
      async (strings: TemplateStringsArray) => {
        const q = strings.join('$');
        if (q.includes('from letter_deliveries d join letters')) return [row];
        if (q.includes('returning attempts')) return [{ attempts: 1, possiblyDuplicated: false }];
        if (q.includes('insert into notifications')) return new Promise((r) => setTimeout(() => r([]), 5_000));
        if (q.includes('from notifications')) return [{ id: '1' }];
        return [];
      },
      { json: (v: unknown) => v },
    ) as unknown as Sql;
    const { deliver } = createLetterDeliveryActivities({ sql: fake });
    const env = new MockActivityEnvironment({ attempt: 1 });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const r = (await env.run(deliver, { deliveryId: 'd1', maxAttempts: 3 })) as { status: string };
    expect(r.status).toBe('sent');
    expect(beats).toBeGreaterThanOrEqual(2); // at the start and every 4 s
  }, 20_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pid no process has. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) if (!isAlive(pid)) return pid;
}

