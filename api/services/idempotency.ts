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
 *
 * Creates that are no Temporal update (POST /units, /principals, /calendar/versions, PUT of a
 * letter template) have nobody to give the same answer twice: `once` below keeps the first
 * answer with the key in the same table and replays it.
 */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { idempotencyKeyInUse, idempotencyKeyReused } from '../errors';

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

/** An answer as a route sends it: the status and the JSON body. */
export interface Answer<B> {
  status: number;
  body: B;
}

export interface OnceRequest {
  /** Who sends: keys are the caller's own, so two callers never share one. */
  by: Principal;
  /** What the key acts on, e.g. 'units:create', 'template:<campaignId>:<type>'. */
  scope: string;
  /** The Idempotency-Key header; none: every request is a new one. */
  key: string | undefined;
  /** The request as the route read it (body, and whatever else makes it this request). */
  body: unknown;
}

/**
 * How long a twin (same key, same body) waits for the first request's answer before a 409: a
 * double click or a quick client retry then gets the first answer rather than an error.
 */
const TWIN_WAIT_MS = 2_000;
const TWIN_POLL_MS = 100;
/**
 * A claim still without an answer after this long was left by a request that died (process
 * killed, connection gone): a retry with the same body may take it over and run. Far longer than
 * any of these creates takes (one statement is cut at PG_STATEMENT_TIMEOUT_MS, 30 s by default).
 */
const CLAIM_LEASE_S = 120;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Idempotency-Key for creates that are not Temporal updates (a unit, a token, a calendar
 * version, a template version): the first request claims the key, runs, and stores its answer
 * with the key; a retry with the same body gets that answer again (same status, same body, header
 * Idempotent-Replayed), so a double click or a client retry creates one row, not two.
 */
export function createIdempotency(deps: { sql: Sql; log?: { warn(o: object, m: string): void } }) {
  const { sql } = deps;
  const match = (r: OnceRequest, p: string) => sql`principal = ${p} and scope = ${r.scope} and key = ${r.key!}`;

  /**
   * Inserts the claim, or takes over one left unanswered past its lease: the claim's id when
   * this request now owns the key (its release and its answer touch only that claim, never the
   * one a later request took over), undefined otherwise.
   */
  async function claim(r: OnceRequest, p: string, hash: string): Promise<string | undefined> {
    const id = crypto.randomUUID();
    const rows = await sql<{ claim: string }[]>`
      insert into idempotency_keys (principal, scope, key, request_hash, claim) values (${p}, ${r.scope}, ${r.key!}, ${hash}, ${id})
      on conflict (principal, scope, key) do update set created_at = now(), claim = excluded.claim
        where idempotency_keys.response_status is null and idempotency_keys.request_hash = excluded.request_hash
          and idempotency_keys.created_at < now() - make_interval(secs => ${CLAIM_LEASE_S})
      returning claim`;
    return rows[0]?.claim;
  }

  /** The key's row as it stands: its fingerprint and, once the first request answered, the answer. */
  async function read(r: OnceRequest, p: string) {
    const [row] = await sql<{ requestHash: string; responseStatus: number | null; responseBody: unknown }[]>`
      select request_hash, response_status, response_body from idempotency_keys where ${match(r, p)}`;
    return row;
  }

  /**
   * Gives the key back when the request failed. Why not store a failure and replay it (as Stripe
   * replays a 500): these creates commit in one statement or one transaction, so a failure — a 400
   * on the body, 404 campaign, 409 NAME_TAKEN, 503 database away — created nothing, and the key
   * has nothing to protect. A stored refusal would pin the caller to an answer that may no longer
   * hold (the database is back, the name was freed) and make a corrected request need a new key;
   * released, the retry simply runs. (The one failure after a commit, the reply to COMMIT lost
   * with the connection, is a 503 the caller may retry into a second row: rare, and the same
   * without a key.)
   */
  async function release(r: OnceRequest, p: string, claimed: string): Promise<void> {
    await sql`delete from idempotency_keys where ${match(r, p)} and claim = ${claimed} and response_status is null`.catch((err: unknown) =>
      // The claim then stays until its lease ends: a retry meanwhile is told to wait (409).
      deps.log?.warn({ err, scope: r.scope }, 'idempotency: could not release a failed request’s key'),
    );
  }

  async function store(r: OnceRequest, p: string, claimed: string, a: Answer<unknown>): Promise<void> {
    await sql`update idempotency_keys set response_status = ${a.status}, response_body = ${sql.json(a.body as never)}
              where ${match(r, p)} and claim = ${claimed}`.catch((err: unknown) =>
      // The row is created: answer it rather than fail a request that succeeded (a 503 would
      // invite the retry that, after the lease, creates again).
      deps.log?.warn({ err, scope: r.scope }, 'idempotency: could not store the answer of a created request'),
    );
  }

  async function runClaimed<B>(r: OnceRequest, p: string, claimed: string, run: () => Promise<Answer<B>>): Promise<Answer<B>> {
    let answer: Answer<B>;
    try {
      answer = await run();
    } catch (err) {
      await release(r, p, claimed);
      throw err;
    }
    if (answer.status >= 400) await release(r, p, claimed);
    else await store(r, p, claimed, answer);
    return answer;
  }

  return {
    /**
     * Runs a create once per (caller, scope, key): no key → runs; the first time → claims the key,
     * runs, stores a success (a failure gives the key back); again with the same body → the stored
     * answer (`replayed`), or, while the first still runs, a short wait for it and then 409
     * IDEMPOTENCY_KEY_IN_USE; again with another body → 422 IDEMPOTENCY_KEY_REUSED.
     */
    async once<B>(r: OnceRequest, run: () => Promise<Answer<B>>): Promise<Answer<B> & { replayed: boolean }> {
      if (r.key === undefined) return { ...(await run()), replayed: false };
      const p = principalKey(r.by);
      const hash = requestHash(r.body);
      const until = Date.now() + TWIN_WAIT_MS;
      for (;;) {
        const claimed = await claim(r, p, hash);
        if (claimed) return { ...(await runClaimed(r, p, claimed, run)), replayed: false };
        const seen = await read(r, p);
        // No row: the first request failed and gave the key back just now; claim it again at once.
        if (!seen) continue;
        if (seen.requestHash !== hash) throw idempotencyKeyReused(r.key);
        if (seen.responseStatus !== null) return { status: seen.responseStatus, body: seen.responseBody as B, replayed: true };
        if (Date.now() >= until) throw idempotencyKeyInUse(r.key);
        await sleep(TWIN_POLL_MS);
      }
    },
  };
}
export type Idempotency = ReturnType<typeof createIdempotency>;
