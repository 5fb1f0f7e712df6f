/**
 * The item workflow with stubbed activities (the samples' style): the real workflow code on the
 * real Temporal server, with activities the test holds open and lets go, so handlers and the
 * main loop can be made to interleave exactly where a race would hide.
 */
import crypto from 'node:crypto';
import { Client, Connection, WorkflowUpdateStage } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities } from '../activities';
import { DEFAULT_POLICY } from '../domain/policy';
import type { Plan } from '../domain/schedule';
import { itemUpdates, replanSignal, type ItemWorkflowInput } from '../workflows/item';
import { installTestRuntime } from './harness';

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
