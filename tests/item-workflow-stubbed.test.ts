/**
 * The item workflow with stubbed activities (the samples' style): the real workflow code on the
 * real Temporal server, with activities the test holds open and lets go, so handlers and the
 * main loop can be made to interleave exactly where a race would hide.
 */
import crypto from 'node:crypto';
import { Client, Connection, WorkflowUpdateStage } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities, PlanRequest, StepRecord } from '../activities';
import type { Principal } from '../domain/principal';
import { DEFAULT_POLICY } from '../domain/policy';
import type { Plan } from '../domain/schedule';
import { dateOf } from '../domain/time';
import { loadConfig } from '../infra/config';
import { provisionTimeSkippingServer } from '../infra/time-skipping-server';
import { itemUpdates, replanSignal, type ItemWorkflowInput } from '../workflows/item';
import { installTestRuntime } from './harness';
import { startTimeSkippingServer, type TimeSkippingServer } from '../infra/time-skipping-env';

let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;
beforeAll(async () => {
  installTestRuntime();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: 'default' });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
});

/** A promise the test resolves, and one that resolves when the code under test reaches it. */
function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const arrived = new Promise<void>((r) => (reached = r));
  return { open, opened, reached, arrived };
}

it('carries a calendar replan that arrives while the run waits for its handlers before continuing as new', async () => {
  const unitId = crypto.randomUUID();
  const fireGate = gate();
  const recordGate = gate();
  let planCalls = 0;
  let planCallsAtSignal = -1;
  const now = Date.now();
  const plan = (): Plan => ({
    calendarVersion: 1,
    policyVersion: DEFAULT_POLICY.version,
    deadlineDate: '2099-12-31',
    dueAt: now + 365 * 86_400_000,
    nearAt: null,
    // One reminder due at once: the main loop fires it (and holds the item's lock) first.
    steps: [{ key: 'reminder:0', kind: 'reminder', name: '到期提醒', at: now - 1_000 }],
    reportDues: [],
  });
  const stubs: Partial<Activities> = {
    async planItem(r) {
      planCalls++;
      return { plan: plan(), deadline: r.deadline, lookBackAt: null };
    },
    async recordItemEvent(r) {
      if (r.type === 'acknowledge') {
        recordGate.reached();
        await recordGate.opened;
      }
      return undefined as never;
    },
    async fireStep() {
      fireGate.reached();
      await fireGate.opened;
      return { sent: true, alreadySent: false };
    },
    async issueStepLetter() {
      return undefined as never;
    },
  };
  const taskQueue = `stubbed-${crypto.randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: stubs,
  });
  await worker.runUntil(async () => {
    const input: ItemWorkflowInput = {
      itemId: crypto.randomUUID(),
      campaignId: crypto.randomUUID(),
      kind: 'time_limited',
      deadline: '2099-12-31',
      campaignEnd: '2099-12-31',
      units: [{ unitId, role: 'lead' }],
      policy: DEFAULT_POLICY,
      assignedBy: { role: 'office', name: '督查室' },
      // Small enough that the first run continues as new after its first round.
      maxHistoryEvents: 8,
    };
    const handle = await client.workflow.start('itemWorkflow', { taskQueue, workflowId: `item-${input.itemId}`, args: [input] });
    try {
      // 1. The main loop fires the reminder, holding the item's lock.
      await fireGate.arrived;
      // 2. A unit acknowledges: accepted, its handler waits for the lock.
      await handle.startUpdate(itemUpdates.acknowledge, {
        args: [{ actor: { role: 'unit', name: '联络员', unitId } }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      // 3. The loop lets go, sees a long history and waits for the handler to finish; the
      //    handler records its event (held open here).
      fireGate.open();
      await recordGate.arrived;
      // 4. The calendar changes now, while the run waits for its handlers.
      planCallsAtSignal = planCalls;
      await handle.signal(replanSignal, { calendarVersion: 2 });
      await new Promise((r) => setTimeout(r, 1_000));
      recordGate.open();
      // 5. The next run must plan on the new calendar.
      await expect.poll(() => planCalls, { timeout: 15_000 }).toBeGreaterThan(planCallsAtSignal);
      const description = await handle.describe();
      expect(description.runId).not.toBe(handle.firstExecutionRunId);
    } finally {
      await client.workflow.getHandle(handle.workflowId).terminate('test over').catch(() => {});
    }
  });
}, 60_000);

/**
 * While an item is submitted (提交销号) the office is verifying it: the ladder waits, and resumes
 * if the item is rejected; a reminder whose deadline has passed by then is dropped. Weeks in
 * seconds on the time-skipping test server, with every activity stubbed: the plan is the test's,
 * and what the workflow sends is read off the stubbed fireStep and issueStepLetter.
 */
describe('the ladder while submitted (time-skipping, stubbed activities)', () => {
  const HOUR = 3_600_000;
  const lead: Principal = { role: 'unit', name: '联络员', unitId: crypto.randomUUID() };
  const office: Principal = { role: 'office', name: '督查室' };
  let env: TestWorkflowEnvironment;
  let server: TimeSkippingServer | undefined;
  beforeAll(async () => {
    installTestRuntime();
    const cfg = loadConfig({ ...process.env, LOG_PRETTY: 'false' });
    server = await startTimeSkippingServer(provisionTimeSkippingServer({ cacheDir: cfg.RECTIFY_CACHE_DIR }));
    env = server.env;
  }, 180_000);
  afterAll(() => server?.teardown());

  /**
   * The plan every item here gets, counted from its assignment (hour 0): deadline at hour 10, a
   * reminder 2 h before it, 提醒函 at the deadline and 催办函 10 h after it; no report dues.
   */
  const planFor = (r: PlanRequest): Plan => {
    const dueAt = r.assignedAt + 10 * HOUR;
    return {
      calendarVersion: 1,
      policyVersion: DEFAULT_POLICY.version,
      deadlineDate: dateOf(dueAt - 1),
      dueAt,
      nearAt: null,
      steps: [
        { key: 'reminder:PT2H', kind: 'reminder', name: '到期提醒', at: dueAt - 2 * HOUR },
        { key: 'ladder:reminder_letter', kind: 'ladder', name: '提醒函', ladderStep: 'reminder_letter', at: dueAt },
        { key: 'ladder:urging_letter', kind: 'ladder', name: '催办函', ladderStep: 'urging_letter', at: dueAt + 10 * HOUR },
      ],
      reportDues: [],
    };
  };

  /**
   * Runs one item workflow on stubbed activities; `script` drives it, hours counted from its
   * assignment. Scripts act between the workflow's own instants, never on one: the light turns
   * yellow 1 h + 1 ms in (default policy, no progress), and an Update that lands in the same
   * workflow task as a timer makes the Java test server fail the task ("invalid history builder
   * state for action") — a limit of the test server, not of the workflow.
   */
  async function withItem(
    script: (item: {
      act: (update: keyof typeof itemUpdates, actor: Principal, payload?: Record<string, unknown>) => Promise<unknown>;
      /** Sleeps (skipping time) until `hours` after assignment. */
      until: (hours: number) => Promise<void>;
      /** Hours after assignment of an ISO instant. */
      hour: (at: string) => number;
      fired: StepRecord[];
      letters: string[];
    }) => Promise<void>,
  ) {
    const fired: StepRecord[] = [];
    const letters: string[] = [];
    let assignedAt: number | null = null;
    const stubs: Partial<Activities> = {
      async planItem(r) {
        assignedAt ??= r.assignedAt;
        return { plan: planFor(r), deadline: r.deadline, lookBackAt: null };
      },
      async recordItemEvent() {
        return undefined as never;
      },
      async fireStep(r) {
        fired.push(r);
        return { sent: true, alreadySent: false };
      },
      async issueStepLetter(r) {
        letters.push(r.idempotencyKey);
        return undefined as never;
      },
    };
    const taskQueue = `stubbed-ts-${crypto.randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: stubs,
      // No workflow cache: every task replays the history so far (a determinism check for free).
      maxCachedWorkflows: 0,
    });
    await worker.runUntil(async () => {
      const input: ItemWorkflowInput = {
        itemId: crypto.randomUUID(),
        campaignId: crypto.randomUUID(),
        kind: 'time_limited',
        deadline: 'PT10H',
        campaignEnd: '2099-12-31',
        units: [{ unitId: lead.unitId!, role: 'lead' }],
        policy: DEFAULT_POLICY,
        assignedBy: office,
      };
      const handle = await env.client.workflow.start('itemWorkflow', { taskQueue, workflowId: `item-${input.itemId}`, args: [input] });
      try {
        await expect.poll(() => assignedAt, { timeout: 30_000 }).not.toBeNull();
        const t0 = assignedAt!;
        await script({
          act: (update, actor, payload = {}) => handle.executeUpdate(itemUpdates[update] as (typeof itemUpdates)['acknowledge'], { args: [{ actor, ...payload }] }),
          async until(hours) {
            const ms = t0 + hours * HOUR - (await env.currentTimeMs());
            if (ms > 0) await env.sleep(ms);
          },
          hour: (at) => Math.round(((Date.parse(at) - t0) / HOUR) * 10) / 10,
          fired,
          letters,
        });
      } finally {
        await handle.terminate('test over').catch(() => {});
      }
    });
  }

  /** What was sent, as [step key, planned hour, sent hour]. */
  const sent = (fired: StepRecord[], hour: (at: string) => number) => fired.map((f) => [f.idempotencyKey.split(':').slice(1).join(':'), hour(f.plannedAt), hour(f.occurredAt)]);

  it('the ladder waits while submitted, and the due step goes out when the item is rejected', async () => {
    await withItem(async ({ act, until, hour, fired, letters }) => {
      await act('acknowledge', lead);
      await until(1.5);
      await act('submit', lead, { summary: '已整改到位' });
      await until(12); // the deadline (hour 10) and 提醒函's time pass while the office verifies
      expect(fired).toEqual([]);
      expect(letters).toEqual([]);
      await act('reject', office, { reasons: '佐证材料不全' });
      // The step that fell due while submitted goes out at once (hour 12), with its letter.
      await expect.poll(() => sent(fired, hour), { timeout: 15_000 }).toEqual([['ladder:reminder_letter:v1', 10, 12]]);
      await expect.poll(() => letters, { timeout: 15_000 }).toEqual([fired[0]!.idempotencyKey]);
      // The rest of the ladder keeps its times.
      await until(21);
      await expect.poll(() => sent(fired, hour), { timeout: 15_000 }).toEqual([
        ['ladder:reminder_letter:v1', 10, 12],
        ['ladder:urging_letter:v1', 20, 20],
      ]);
      expect(fired.every((f) => f.kind === 'ladder')).toBe(true);
    });
  }, 120_000);

  it('a stale reminder is dropped: its time came while submitted, the deadline passed before the item was rejected', async () => {
    await withItem(async ({ act, until, hour, fired }) => {
      await act('acknowledge', lead);
      await until(1.5);
      await act('submit', lead, { summary: '已整改到位' });
      await until(12); // the reminder's time (hour 8), then the deadline (hour 10), pass while submitted
      await act('reject', office, { reasons: '佐证材料不全' });
      await expect.poll(() => fired.length, { timeout: 15_000 }).toBe(1);
      await until(21);
      await expect.poll(() => fired.length, { timeout: 15_000 }).toBe(2);
      // Never the reminder: only the ladder.
      expect(sent(fired, hour)).toEqual([
        ['ladder:reminder_letter:v1', 10, 12],
        ['ladder:urging_letter:v1', 20, 20],
      ]);
      expect(fired.filter((f) => f.kind === 'reminder')).toEqual([]);
    });
  }, 120_000);

  it('…whereas a reminder held while submitted goes out if the item is rejected before the deadline', async () => {
    await withItem(async ({ act, until, hour, fired }) => {
      await act('acknowledge', lead);
      await until(1.5);
      await act('submit', lead, { summary: '已整改到位' });
      await until(9); // the reminder's time (hour 8) passes while submitted; the deadline has not
      expect(fired).toEqual([]);
      await act('reject', office, { reasons: '佐证材料不全' });
      await expect.poll(() => sent(fired, hour), { timeout: 15_000 }).toEqual([['reminder:PT2H:v1', 8, 9]]);
      await until(11);
      await expect.poll(() => sent(fired, hour), { timeout: 15_000 }).toEqual([
        ['reminder:PT2H:v1', 8, 9],
        ['ladder:reminder_letter:v1', 10, 10],
      ]);
    });
  }, 120_000);
});
