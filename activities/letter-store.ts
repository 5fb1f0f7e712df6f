/**
 * What both letter modules (letter-issuing.ts, letter-delivery.ts) read and write beside their
 * own tables: the letter's trail (`letter_events`), its campaign, the names of units.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { PolicyInput } from '../domain/policy';
import type { Sql } from '../infra/db';

/** What a letter's trail records (the API adds 'receipted' when a unit signs). */
export type LetterEventType = 'issued' | 'template_fallback' | 'delivered' | 'delivery_failed' | 'receipt_overdue';

export interface LetterEvent {
  /** Unique on the trail: the same event written again (a retry, a replay) is written once. */
  key: string;
  letterId: string;
  type: LetterEventType;
  unitId?: string | null;
  payload?: object;
  /** Default: now. */
  occurredAt?: Date;
}

/**
 * Appends one event to a letter's trail, keyed: writing it again changes nothing. The one place
 * activities write `letter_events` (inside a transaction, pass the transaction).
 */
export async function appendLetterEvent(sql: Sql, e: LetterEvent): Promise<void> {
  await sql`
    insert into letter_events (key, letter_id, type, unit_id, payload, occurred_at)
    values (${e.key}, ${e.letterId}, ${e.type}, ${e.unitId ?? null}, ${sql.json((e.payload ?? {}) as never)},
            coalesce(${e.occurredAt ?? null}::timestamptz, now()))
    on conflict (key) do nothing`;
}

export interface CampaignRow {
  id: string;
  title: string;
  docNumber: string | null;
  issuingBody: string | null;
  policy: PolicyInput;
}

export async function campaignOf(sql: Sql, campaignId: string): Promise<CampaignRow> {
  const [c] = await sql<CampaignRow[]>`select id, title, doc_number, issuing_body, policy from campaigns where id = ${campaignId}`;
  if (!c) throw ApplicationFailure.nonRetryable(`campaign ${campaignId} not found`);
  return c;
}

export async function unitNames(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  return ids.length ? new Map((await sql<{ id: string; name: string }[]>`select id, name from units where id in ${sql(ids)}`).map((u) => [u.id, u.name])) : new Map();
}
