/**
 * The in-app inbox: the notices (reminders, ladder steps, letters) the workflows wrote to the
 * notifications table, one row per recipient. A unit reads the rows addressed to it; the office
 * reads the rows with no recipient (those are its own). Leaders have no inbox: notices are
 * addressed to the people who must act on them.
 */
import { inboxOwner } from '../../domain/access';
import type { LetterType } from '../../domain/letters/types';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { forbidden, notFound } from '../errors';
import { letterDocumentLinks } from './letters';
import type { NotificationDto } from '../routes/inbox/schemas';

interface Row {
  id: string;
  title: string;
  body: string;
  itemId: string | null;
  campaignId: string | null;
  letterId: string | null;
  docNumber: string | null;
  letterType: LetterType | null;
  letterTitle: string | null;
  createdAt: string;
  readAt: string | null;
}

const dto = (r: Row): NotificationDto => ({
  id: r.id,
  title: r.title,
  body: r.body,
  itemId: r.itemId,
  campaignId: r.campaignId,
  letterId: r.letterId,
  letter:
    r.letterId && r.docNumber && r.letterType
      ? {
          docNumber: r.docNumber,
          type: r.letterType,
          title: r.letterTitle ?? '',
          links: letterDocumentLinks(r.letterId),
        }
      : null,
  createdAt: r.createdAt,
  readAt: r.readAt,
});

export function createInboxService({ sql }: { sql: Sql }) {
  /** Whose rows the caller reads: domain/access.ts says (its unit's, or the office's: no recipient). */
  function mine(p: Principal) {
    const owner = inboxOwner(p);
    if (!owner.allowed) throw forbidden(owner.reason);
    return owner.recipient === null ? sql`n.recipient is null` : sql`n.recipient = ${owner.recipient!}`;
  }

  // A fresh fragment per query: postgres.js fragments are not meant to be shared between queries.
  const select = () => sql`
    select n.id, n.title, n.body, n.item_id, coalesce(l.campaign_id, i.campaign_id) as campaign_id, n.letter_id,
           l.doc_number, l.type as letter_type, l.title as letter_title, n.created_at, n.read_at
    from notifications n
    left join items i on i.id = n.item_id
    left join letters l on l.id = n.letter_id`;

  return {
    async list(p: Principal, q: { unread?: boolean; limit: number; after?: string }) {
      const rows = await sql<Row[]>`
        ${select()}
        where ${mine(p)}
        ${q.unread ? sql`and n.read_at is null` : sql``}
        ${q.after ? sql`and n.id < ${q.after}` : sql``}
        order by n.id desc
        limit ${q.limit}`;
      const [count] = await sql<{ unread: number }[]>`
        select count(*)::int as unread from notifications n where ${mine(p)} and n.read_at is null`;
      return { notifications: rows.map(dto), unread: count!.unread, next: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
    },

    /** Idempotent: reading again keeps the first time. Someone else's notice is a 404, not a 403. */
    async markRead(p: Principal, id: string): Promise<NotificationDto> {
      const [updated] = await sql`
        update notifications n set read_at = coalesce(n.read_at, now()) where n.id = ${id} and ${mine(p)} returning n.id`;
      if (!updated) throw notFound('notification', id);
      const [row] = await sql<Row[]>`${select()} where n.id = ${id}`;
      return dto(row!);
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
