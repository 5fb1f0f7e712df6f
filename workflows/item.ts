/**
 * One workflow per rectification item (workflow id `item-<itemId>`). It holds the item's state,
 * accepts the users' actions as Updates — each with a validator, so an action not allowed now is
 * refused synchronously with a reason and leaves no trace in history — and reports every change
 * to PostgreSQL through an idempotent activity.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  applyAction,
  initialItemState,
  refusal,
  type ActionInput,
  type ItemAction,
  type ItemKind,
  type ItemState,
  type ItemUnit,
} from '../domain/item-lifecycle';
import type { Principal } from '../domain/principal';

export interface ItemWorkflowInput {
  itemId: string;
  campaignId: string;
  kind: ItemKind;
  /** 'YYYY-MM-DD' (Asia/Shanghai), or null for long-term items. */
  deadline: string | null;
  units: ItemUnit[];
  /** Who created (交办) the item. */
  assignedBy: Principal;
}

export type ActionArgs<A extends ItemAction> = ActionInput<A> & { actor: Principal };

export const acknowledgeUpdate = defineUpdate<ItemState, [ActionArgs<'acknowledge'>]>('acknowledge');
export const reportProgressUpdate = defineUpdate<ItemState, [ActionArgs<'reportProgress'>]>('reportProgress');
export const submitUpdate = defineUpdate<ItemState, [ActionArgs<'submit'>]>('submit');
export const closeUpdate = defineUpdate<ItemState, [ActionArgs<'close'>]>('close');
export const getStateQuery = defineQuery<ItemState>('getState');

export const itemWorkflowId = (itemId: string): string => `item-${itemId}`;

const { recordItemEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // PostgreSQL may be restarting: keep trying; the write is keyed, so retries are harmless.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function itemWorkflow(input: ItemWorkflowInput): Promise<ItemState> {
  // seq 1 is the 'assigned' event below; set it before any handler can run.
  let state: ItemState = { ...initialItemState(input.itemId, input.units), seq: 1 };

  async function act<A extends ItemAction>(action: A, args: ActionArgs<A>): Promise<ItemState> {
    const { actor, ...payload } = args;
    const now = new Date().toISOString();
    // State changes synchronously, before any await, so concurrent updates see each other.
    const { state: next, event } = applyAction(state, action, actor, payload, now);
    state = next;
    await recordItemEvent({ ...event, actor, occurredAt: now, state: next });
    return next;
  }

  function validator<A extends ItemAction>(action: A) {
    return (args: ActionArgs<A>): void => {
      const { actor, ...payload } = args;
      const r = refusal(state, action, actor, payload);
      if (r) throw ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
    };
  }

  setHandler(getStateQuery, () => state);
  setHandler(acknowledgeUpdate, (a) => act('acknowledge', a), { validator: validator('acknowledge') });
  setHandler(reportProgressUpdate, (a) => act('reportProgress', a), { validator: validator('reportProgress') });
  setHandler(submitUpdate, (a) => act('submit', a), { validator: validator('submit') });
  setHandler(closeUpdate, (a) => act('close', a), { validator: validator('close') });

  await recordItemEvent({
    type: 'assigned',
    fromStatus: null,
    toStatus: 'assigned',
    payload: { deadline: input.deadline, kind: input.kind, units: input.units, workflowId: workflowInfo().workflowId },
    actor: input.assignedBy,
    occurredAt: new Date(workflowInfo().startTime).toISOString(),
    state,
  });

  await condition(() => state.status === 'closed' && allHandlersFinished());
  return state;
}
