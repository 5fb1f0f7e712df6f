/**
 * Where notices go. Pluggable: the worker is built with a Notifier, tests pass their own. Every
 * notifier must be idempotent by `idempotencyKey` (the same notice twice lands once): the
 * in-app inbox below is keyed in PostgreSQL; e-mail and webhooks (letters issue) carry the key
 * as their message id.
 */
import type { Sql } from '../infra/db';

export interface Notice {
  idempotencyKey: string;
  /** The item it is about, or null for a campaign-level notice (listing, summons). */
  itemId: string | null;
  campaignId?: string;
  /** Unit ids; an empty list means the supervising office. */
  recipients: string[];
  title: string;
  body: string;
}

export interface Notifier {
  notify(n: Notice): Promise<void>;
}

export function inboxNotifier(sql: Sql): Notifier {
  return {
    async notify(n) {
      const to = n.recipients.length ? n.recipients : [null];
      for (const recipient of to) {
        await sql`
          insert into notifications (idempotency_key, recipient, item_id, campaign_id, title, body)
          values (${n.idempotencyKey}, ${recipient}, ${n.itemId}, ${n.campaignId ?? null}, ${n.title}, ${n.body})
          on conflict do nothing`;
      }
    },
  };
}
