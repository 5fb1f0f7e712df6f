/**
 * Issuing a letter: its row and its document number in one transaction, keyed by the idempotency
 * key of the step that caused it. A retry, a replay or a concurrent duplicate finds the letter
 * already issued and gets it back — never a second letter, never a second number — and a failed
 * transaction takes its number back with it, so the series has no gaps.
 */
import { DOC_KIND, docNumberText, type LetterType } from '../domain/letters/types';
import type { Sql } from '../infra/db';

export interface IssueRequest {
  idempotencyKey: string;
  campaignId: string | null;
  type: LetterType;
  /** The issuing body's abbreviation in document numbers, e.g. 白振办. */
  issuingBody: string;
  unitId: string | null;
  itemIds: string[];
  templateVersion: number;
  facts: object;
  /** 成文日期 (YYYY-MM-DD, Asia/Shanghai); its year is the number's year. */
  issuedOn: string;
}

export interface IssuedLetter {
  id: string;
  idempotencyKey: string;
  type: LetterType;
  docNumber: string;
  number: number;
  year: number;
  issuedOn: string;
  /** False when the key had already issued it (a retry or a duplicate). */
  created: boolean;
}

export function createLetterActivities({ sql }: { sql: Sql }) {
  return {
    async issueLetter(r: IssueRequest): Promise<IssuedLetter> {
      return sql.begin(async (tx) => {
        // One issuer per key at a time: a concurrent duplicate waits here, then finds the letter.
        await tx`select pg_advisory_xact_lock(hashtextextended(${r.idempotencyKey}, 0))`;
        const [existing] = await tx<Omit<IssuedLetter, 'created'>[]>`
          select id, idempotency_key, type, doc_number, number, year, issued_on from letters where idempotency_key = ${r.idempotencyKey}`;
        if (existing) return { ...existing, created: false };
        const kind = DOC_KIND[r.type];
        const year = Number(r.issuedOn.slice(0, 4));
        // The sequence row is locked until commit: concurrent issuers of the series queue here.
        const [seq] = await tx<{ last: number }[]>`
          insert into doc_number_sequences (issuing_body, kind, year, last) values (${r.issuingBody}, ${kind}, ${year}, 1)
          on conflict (issuing_body, kind, year) do update set last = doc_number_sequences.last + 1
          returning last`;
        const number = seq!.last;
        const docNumber = docNumberText(r.issuingBody, r.type, year, number);
        const [row] = await tx<{ id: string }[]>`
          insert into letters (idempotency_key, campaign_id, type, issuing_body, kind, year, number, doc_number, unit_id, item_ids, template_version, facts, issued_on)
          values (${r.idempotencyKey}, ${r.campaignId}, ${r.type}, ${r.issuingBody}, ${kind}, ${year}, ${number}, ${docNumber},
                  ${r.unitId}, ${r.itemIds}::uuid[], ${r.templateVersion}, ${tx.json(r.facts as never)}, ${r.issuedOn})
          returning id`;
        return { id: row!.id, idempotencyKey: r.idempotencyKey, type: r.type, docNumber, number, year, issuedOn: r.issuedOn, created: true };
      }) as Promise<IssuedLetter>;
    },
  };
}
