/**
 * The letters of one assignment batch (id `assignment-letters-<batchId>`): when items are
 * assigned in one create call or one import, each unit gets ONE 整改工作提醒函 listing the items
 * of the batch it leads (and, as the policy says, supports) with their deadlines — seed 000's
 * "对涉及问题整改的16个相关部门，分别印发了整改工作提醒函".
 *
 *  1. Wait until the batch is whole: a create call starts this sealed; an import writes in chunks,
 *     each a `chunk` signal, and seals the batch after its last one (`seal`). An import silent
 *     for SEAL_TIMEOUT (cut off) is taken as sealed: its letters list what it did create.
 *     The letters also wait (their activity retries) until every listed item's workflow has
 *     planned it: the deadlines printed are the workflows' own.
 *  2. Plan: which units get a letter (one activity reading the batch from PostgreSQL, so 10,000
 *     items never pass through this workflow's history).
 *  3. Issue one letter per unit, a few at a time, each keyed `assign:<batchId>:<unitId>`: a retry
 *     or a second run returns the same letter and number.
 */
import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AssignmentBatch } from '../domain/letters/batch';


/** The import wrote its last chunk. */
export const sealSignal = defineSignal('seal');
/** The import wrote another chunk: the batch waits on. */
export const chunkSignal = defineSignal('chunk');

/** How long an unsealed batch waits after its import's last sign of life before writing what it has. */
export const SEAL_TIMEOUT = '10 minutes';
/** Letters issued at once: each is a numbering transaction and a workflow start. */
const PARALLEL = 8;

const { planAssignmentLetters, issueAssignmentLetter } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function assignmentLettersWorkflow(batch: AssignmentBatch): Promise<{ letters: number }> {
  // The letters are dated the day of the assignment: this workflow starts with the batch's commit.
  const at = new Date(workflowInfo().startTime).toISOString();
  let sealed = batch.sealed;
  let chunks = 0;
  setHandler(sealSignal, () => void (sealed = true));
  setHandler(chunkSignal, () => void chunks++);
  while (!sealed) {
    const seen = chunks;
    if (!(await condition(() => sealed || chunks !== seen, SEAL_TIMEOUT))) break; // the import went quiet
  }

  const units = await planAssignmentLetters(batch);
  let letters = 0;
  for (let i = 0; i < units.length; i += PARALLEL) {
    const issued = await Promise.all(units.slice(i, i + PARALLEL).map((unitId) => issueAssignmentLetter({ ...batch, unitId, at })));
    letters += issued.filter((l) => l.letterId !== null).length;
  }
  return { letters };
}
