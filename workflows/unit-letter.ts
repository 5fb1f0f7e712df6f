/**
 * One workflow per unit letter of the ladder (id `unit-letter-<campaign>-<unit>-<rung>-<day>`):
 * it collects the steps of one rung that fall due for one lead unit on one day, then has ONE
 * letter written listing those items (domain/letters/batch.ts says why and what drops out).
 *
 *  1. Each item workflow's ladder step enlists itself (the `enlist` signal, sent with
 *     signal-with-start by the issuing activity, so the first step of the day starts this).
 *  2. At the batch's close (the first step's time + the policy's `letters.collectFor`), the
 *     letter is written from what was collected (`issueUnitLetter`: every step still due, each
 *     listed in one letter ever, numbered once under the batch's key).
 *  3. Steps that arrive while the letter is being written are not lost: Temporal does not let a
 *     workflow complete over an unhandled signal, so they make a second round (a second letter,
 *     after another collecting window); a step arriving after this run completed starts a new
 *     run under the same id. A letter lists at most MAX_ENTRIES_PER_LETTER steps.
 */
import { defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MAX_ENTRIES_PER_LETTER, type BatchEntry, type UnitLetterBatch } from '../domain/letters/batch';

export const enlistSignal = defineSignal<[BatchEntry]>('enlist');

const { issueUnitLetter } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface UnitLetterResult {
  letters: string[];
  listed: number;
  dropped: number;
}

export async function unitLetterWorkflow(batch: UnitLetterBatch): Promise<UnitLetterResult> {
  const pending = new Map<string, BatchEntry>();
  const seen = new Set<string>();
  setHandler(enlistSignal, (entry) => {
    // A retried enlisting sends the same step again: once is enough.
    if (seen.has(entry.stepKey)) return;
    seen.add(entry.stepKey);
    pending.set(entry.stepKey, entry);
  });

  await sleep(Math.max(0, batch.closeAt - Date.now()));

  const result: UnitLetterResult = { letters: [], listed: 0, dropped: 0 };
  const { workflowId, runId } = workflowInfo();
  for (let round = 1; pending.size > 0; round++) {
    // Steps that came while the last letter was written (a backlog of item workflows) collect
    // for another window, so a backlog makes a second letter, not a stream of small ones.
    if (round > 1 && batch.collectMs) await sleep(batch.collectMs);
    const entries = [...pending.values()].slice(0, MAX_ENTRIES_PER_LETTER);
    for (const e of entries) pending.delete(e.stepKey);
    const r = await issueUnitLetter({ ...batch, batchKey: `${workflowId}:${runId}:${round}`, entries });
    if (r.letterId) result.letters.push(r.letterId);
    result.listed += r.listed;
    result.dropped += r.dropped;
  }
  return result;
}
