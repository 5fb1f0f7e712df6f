/**
 * Idempotency-Key, as the IETF draft (draft-ietf-httpapi-idempotency-key-header) and Stripe use
 * it: a key is the caller's own, for one action on one target. The first request with a key
 * records a fingerprint (sha-256 of the canonical JSON body) under (principal, scope, key); a
 * retry with the same body goes on to the same Temporal update id, so it gets the same answer
 * and is applied once; the same key with another body is refused with 422
 * IDEMPOTENCY_KEY_REUSED before anything is sent to the workflow.
 *
 * Why a table and not the update's validator: Temporal deduplicates an update id before any
 * validator runs (a repeated id never reaches workflow code), so the workflow could not compare
 * bodies without new workflow state — and that would mean versioning workflows/item.ts and
 * carrying the fingerprints across continue-as-new. The table is one indexed insert per keyed
 * request, in the API, for every workflow alike (items, the campaign's delist).
 */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { idempotencyKeyReused } from '../errors';

/** Who sends: a unit by its id, the office or a leader by name. */
export const principalKey = (p: Principal): string => `${p.role}:${p.unitId ?? p.name}`;

/** JSON with object keys sorted, so {a,b} and {b,a} are the same request. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

export const requestHash = (body: unknown): string => crypto.createHash('sha256').update(canonicalJson(body ?? {})).digest('hex');

/** Records the key's fingerprint, or checks it: 422 when the key was used with another body. */
export async function claimIdempotencyKey(sql: Sql, r: { principal: string; scope: string; key: string; body: unknown }): Promise<void> {
  const hash = requestHash(r.body);
  const [row] = await sql<{ requestHash: string }[]>`
    with ins as (
      insert into idempotency_keys (principal, scope, key, request_hash) values (${r.principal}, ${r.scope}, ${r.key}, ${hash})
      on conflict (principal, scope, key) do nothing
      returning request_hash)
    select request_hash from ins
    union all
    select request_hash from idempotency_keys where principal = ${r.principal} and scope = ${r.scope} and key = ${r.key}
    limit 1`;
  // Inserted by a concurrent twin between the two halves: read it again.
  const seen = row?.requestHash ?? (await sql<{ requestHash: string }[]>`
    select request_hash from idempotency_keys where principal = ${r.principal} and scope = ${r.scope} and key = ${r.key}`)[0]?.requestHash;
  if (seen !== undefined && seen !== hash) throw idempotencyKeyReused(r.key);
}
