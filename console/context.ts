/** What a console request carries once its session is known: who, their API client, the page context. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dateOf, isSupportedDate } from '../domain/time';
import type { Principal } from '../domain/principal';
import { ConsoleApiError, type ApiClient } from './api-client';
import type { PageContext } from './views/layout';

declare module 'fastify' {
  interface FastifyRequest {
    console: { sessionId: string; token: string; csrf: string; principal: Principal; api: ApiClient } | null;
    /** Files of a multipart form (佐证材料), its fields being in `body`. */
    consoleFiles: { name: string; bytes: Buffer }[] | null;
  }
}

export const FLASH_COOKIE = 'rectify_flash';

/** The signed-in person, or a redirect to the sign-in page (null: the reply is sent). */
export function signedIn(req: FastifyRequest, reply: FastifyReply): NonNullable<FastifyRequest['console']> | null {
  if (req.console) return req.console;
  const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
  void reply.redirect(`/login${next}`, 303);
  return null;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  const c = req.console!;
  const raw = req.cookies[FLASH_COOKIE];
  let flash: PageContext['flash'] = null;
  if (raw) {
    try {
      const f = JSON.parse(raw) as { kind: 'ok' | 'error'; text: string };
      if ((f.kind === 'ok' || f.kind === 'error') && typeof f.text === 'string') flash = { kind: f.kind, text: f.text.slice(0, 1000) };
    } catch {
      // not ours: ignore
    }
    void reply.clearCookie(FLASH_COOKIE, { path: '/' });
  }
  return { principal: c.principal, csrf: c.csrf, path: req.url.split('?')[0]!, flash };
}

/** A message for the next page (after a redirect): a short-lived cookie. */
export function setFlash(reply: FastifyReply, kind: 'ok' | 'error', text: string): void {
  void reply.setCookie(FLASH_COOKIE, JSON.stringify({ kind, text }), { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
}

/** The console's error page for a path that names nothing, or a page this person may not open. */
export const notFound = () => Object.assign(new Error('not found'), { statusCode: 404 });
export const forbidden = () => Object.assign(new Error('forbidden'), { statusCode: 403 });

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the API does not find (or cannot read as an id) is the console's 404. */
export function rethrow404(e: unknown): never {
  if (e instanceof ConsoleApiError && (e.status === 404 || e.status === 400)) throw notFound();
  throw e;
}

/** The Idempotency-Key a form's `_key` field (keyField in views/layout.ts) carries, if it carries a sane one. */
export function formKey(body: Record<string, unknown> | undefined): string | undefined {
  const key = body?._key;
  return typeof key === 'string' && key.length > 0 && key.length <= 100 ? `console:${key}` : undefined;
}

/**
 * A list whose filter the API refuses (a hand-edited URL): the page shows the empty list with its
 * filters rather than an error page. Anything else goes on to the error page.
 */
export function emptyOnRefusedFilter<T>(empty: T): (e: unknown) => T {
  return (e) => {
    if (e instanceof ConsoleApiError && e.status === 400) return empty;
    throw e;
  };
}

/** A server-rendered page as the answer. */
export const sendPage = (reply: FastifyReply, page: { text: string }, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.text);

/**
 * 回溯: the day a page is asked to show (`?asOf=YYYY-MM-DD`), if it is a real day before today in
 * Shanghai; today or a later day is the current view (null), as is anything malformed.
 */
export function asOfDay(req: FastifyRequest, now = Date.now()): string | null {
  const v = (req.query as Record<string, unknown> | undefined)?.asOf;
  if (typeof v !== 'string' || !isSupportedDate(v)) return null;
  return v < dateOf(now) ? v : null;
}
