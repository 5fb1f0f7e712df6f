/**
 * One workflow per issued letter (workflow id `letter-<letterId>`), started by the activity that
 * issued it (for an item's ladder step, a campaign's dispatch or listing). Not a child: a letter
 * outlives its issuer's continue-as-new and close-out, and the id makes the start idempotent.
 *
 *  1. plan the deliveries — the ledger rows, one per recipient unit × channel;
 *  2. deliver each, in parallel, each with retries and backoff; after the last attempt the
 *     activity marks the row failed and tells the office (it never throws the letter away); a
 *     last attempt that never comes back (timed out, lost its worker, threw) is given up the same
 *     way by `markDeliveryFailed` — one delivery never fails the letter;
 *  3. wait for the addressees to sign for it (签收, the `receipted` signal sent by the API after
 *     it has written the receipt) until the policy's time; whoever has not signed by then is a
 *     late event (`markReceiptOverdue`, which reads the receipts from PostgreSQL, so a lost
 *     signal never makes a false one).
 */
import { ActivityFailure, condition, defineSignal, isCancellation, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliverResult } from '../activities/letter-delivery';

export interface LetterWorkflowInput {
  letterId: string;
}

export interface LetterProgress {
  deliveries: number;
  sent: number;
  failed: number;
  possiblyDuplicated: number;
  awaitingReceipt: string[];
  overdue: string[];
  done: boolean;
}

/** A unit signed for the letter (the API has already recorded it). */
export const receiptedSignal = defineSignal<[{ unitId: string }]>('receipted');

export const letterWorkflowId = (letterId: string): string => `letter-${letterId}`;

const { planDeliveries, markDeliveryFailed, markReceiptOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function letterWorkflow({ letterId }: LetterWorkflowInput): Promise<LetterProgress> {
  const receipted = new Set<string>();
  const progress: LetterProgress = { deliveries: 0, sent: 0, failed: 0, possiblyDuplicated: 0, awaitingReceipt: [], overdue: [], done: false };
  setHandler(receiptedSignal, ({ unitId }) => {
    receipted.add(unitId);
    progress.awaitingReceipt = progress.awaitingReceipt.filter((u) => u !== unitId);
  });

  const plan = await planDeliveries({ letterId });
  progress.deliveries = plan.deliveries.length;
  progress.awaitingReceipt = plan.to.filter((u) => !receipted.has(u));

  // Each delivery its own activity: one slow mail server never holds up the inboxes. The
  // activity returns 'failed' itself on a last attempt that fails; one that never comes back
  // (timed out, lost its worker, threw) is caught below.
  // A delivery takes seconds (render the .docx and PDF, hand them to a mail server or a
  // webhook): it heartbeats every 4 s, so one lost with its worker is retried after 15 s; the
  // minute bounds a send that hangs while heartbeating. (Activity options are not part of
  // replay: no patch needed.)
  const { deliver } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: '15 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: plan.attempts },
  });
  const deliverOne = async (deliveryId: string): Promise<DeliverResult> => {
    try {
      return await deliver({ deliveryId, maxAttempts: plan.attempts });
    } catch (err) {
      // Letters started before the patch failed here, and replay the same way.
      if (!(err instanceof ActivityFailure) || isCancellation(err) || !patched('deliver-failure-caught')) throw err;
      // The row is given up as the activity's own last attempt does: failed, the office told.
      return markDeliveryFailed({ deliveryId, reason: err.cause?.message || err.message });
    }
  };
  await Promise.all(
    plan.deliveries.map(async (d) => {
      const r = await deliverOne(d.id);
      if (r.status === 'failed') progress.failed++;
      else progress.sent++;
      if (r.possiblyDuplicated) progress.possiblyDuplicated++;
    }),
  );

  if (plan.receiptDueAt !== null && plan.to.length) {
    const allSigned = () => plan.to.every((u) => receipted.has(u));
    const signed = await condition(allSigned, Math.max(1, plan.receiptDueAt - Date.now()));
    if (!signed) progress.overdue = await markReceiptOverdue({ letterId, at: Date.now() });
  }
  progress.done = true;
  return progress;
}
