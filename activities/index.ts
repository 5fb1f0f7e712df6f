/**
 * Activities: the only bridge between workflows and PostgreSQL. Built by a factory that takes
 * its dependencies, so tests can pass their own. Every write is keyed, so a retry or a replay
 * writes the same rows again and never a second one.
 */
import type { Sql } from '../infra/db';
import type { ItemEventDraft, ItemState } from '../domain/item-lifecycle';
import type { Principal } from '../domain/principal';

export interface ItemEventRecord extends Omit<ItemEventDraft, 'type' | 'fromStatus'> {
  type: ItemEventDraft['type'] | 'assigned';
  fromStatus: ItemEventDraft['fromStatus'] | null;
  actor: Principal;
  occurredAt: string;
  /** The item's state after the event: written to the read model if newer than what is there. */
  state: ItemState;
}

export function createActivities({ sql }: { sql: Sql }) {
  return {
    /** Appends one audit event (keyed by item and seq) and advances the read model. */
    async recordItemEvent(e: ItemEventRecord): Promise<void> {
      const s = e.state;
      await sql.begin(async (tx) => {
        await tx`
          insert into item_events (item_id, seq, type, from_status, to_status, actor_role, actor_name, actor_unit_id, payload, occurred_at)
          values (${s.itemId}, ${s.seq}, ${e.type}, ${e.fromStatus}, ${e.toStatus}, ${e.actor.role}, ${e.actor.name},
                  ${e.actor.unitId ?? null}, ${tx.json(e.payload as never)}, ${e.occurredAt})
          on conflict (item_id, seq) do nothing`;
        await tx`
          insert into item_states (item_id, status, progress_percent, acknowledged_units, last_report_at, last_seq, updated_at)
          values (${s.itemId}, ${s.status}, ${s.progressPercent}, ${s.acknowledgedUnits}::uuid[], ${s.lastReportAt}, ${s.seq}, ${e.occurredAt})
          on conflict (item_id) do update set
            status = excluded.status, progress_percent = excluded.progress_percent,
            acknowledged_units = excluded.acknowledged_units, last_report_at = excluded.last_report_at,
            last_seq = excluded.last_seq, updated_at = excluded.updated_at
          where item_states.last_seq < excluded.last_seq`;
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
