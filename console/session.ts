/**
 * Console sessions, kept in PostgreSQL (any API process serves any browser): a random id in an
 * HttpOnly, SameSite=Lax cookie, stored only as its SHA-256; a CSRF token per session, checked on
 * every form post; an idle limit and an absolute one. The session holds the token the person
 * signed in with and resolves it on each request, so what they may do is always what that token
 * may do now (domain/access.ts decides, as for the API).
 */
import crypto from 'node:crypto';
import type { Sql } from '../infra/db';

export const SESSION_COOKIE = 'rectify_session';
/** Signed out after this long without a request… */
export const IDLE_MS = 2 * 3600_000;
/** …and after a working day whatever happens. */
export const ABSOLUTE_MS = 12 * 3600_000;

export interface ConsoleSession {
  token: string;
  csrf: string;
}

export const hash = (id: string) => crypto.createHash('sha256').update(id).digest();
export const randomToken = () => crypto.randomBytes(32).toString('base64url');

/** Equal strings in constant time (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function createSessionStore(sql: Sql) {
  return {
    /** A new session for a token already checked; returns the cookie value. */
    async create(token: string): Promise<{ id: string; session: ConsoleSession }> {
      const id = randomToken();
      const csrf = randomToken();
      await sql`insert into console_sessions (id_hash, token, csrf, expires_at) values (${hash(id)}, ${token}, ${csrf}, ${new Date(Date.now() + ABSOLUTE_MS)})`;
      // Sign-ins are rare: sweep the expired ones here rather than on a timer.
      await sql`delete from console_sessions where expires_at < now() or last_seen_at < ${new Date(Date.now() - IDLE_MS)}`;
      return { id, session: { token, csrf } };
    },

    /** The live session of a cookie value, touched (the idle clock restarts); null when unknown or expired. */
    async get(id: string): Promise<ConsoleSession | null> {
      if (!id || id.length > 100) return null;
      const [row] = await sql<{ token: string; csrf: string }[]>`
        update console_sessions set last_seen_at = now()
        where id_hash = ${hash(id)} and expires_at > now() and last_seen_at > ${new Date(Date.now() - IDLE_MS)}
        returning token, csrf`;
      return row ?? null;
    },

    async end(id: string): Promise<void> {
      await sql`delete from console_sessions where id_hash = ${hash(id)}`;
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
