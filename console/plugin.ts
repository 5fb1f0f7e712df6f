/**
 * The web console (督办工作台), served by the API's own Fastify app at `/` (the API stays at
 * `/api/v1`): server-rendered Chinese pages, forms that work without JavaScript, htmx for smoother
 * navigation and ECharts for charts — every script, style and chart library served from here
 * (npm packages), never a CDN, so it works on a closed network and in old in-app browsers.
 *
 * Its routes are `public` to the API's bearer-token auth: the console has its own sign-in
 * (a session cookie, console/session.ts) and reaches the data only through the API with the
 * signed-in person's token (console/api-client.ts), so access is decided where it always is.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../domain/evidence';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../infra/db';
import { apiClient } from './api-client';
import { pageContext, setFlash } from './context';
import { html } from './html';
import { createSessionStore, randomToken, sameSecret, SESSION_COOKIE } from './session';
import { assetRoutes } from './routes/assets';
import { pageRoutes } from './routes/pages';
import { importRoutes } from './routes/imports';
import { unitRoutes } from './routes/units';
import { calendarRoutes } from './routes/calendar';
import { sheetRoutes } from './routes/sheets';
import { templateRoutes } from './routes/templates';
import { simulationRoutes } from './routes/simulations';
import { deliveryRoutes } from './routes/deliveries';
import { layout } from './views/layout';
import { loginPage } from './views/login';

const LOGIN_CSRF_COOKIE = 'rectify_login_csrf';
/** Every console route: outside the API's token auth, out of the OpenAPI document. */
export const consoleRoute = { config: { public: true }, schema: { hide: true } } as const;

export default async function consolePlugin(app: FastifyInstance, opts: { sql: Sql }) {
  // Registered here, these parse forms and cookies for the console only: the API keeps JSON.
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 200_000 });
  // Forms with files (佐证材料): fields flattened into the body, files kept aside (below).
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: MAX_EVIDENCE_BYTES, files: MAX_EVIDENCE_FILES, fields: 40, fieldSize: 20_000 },
    throwFileSizeLimit: true,
  });
  app.decorateRequest('consoleFiles', null);
  app.addHook('preValidation', async (req) => {
    if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return;
    const fields: Record<string, string> = {};
    const files: { name: string; bytes: Buffer }[] = [];
    for (const [name, entry] of Object.entries(req.body as Record<string, unknown>)) {
      for (const part of ([] as unknown[]).concat(entry) as { type?: string; value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> }[]) {
        if (part?.type === 'file' && part.filename && part.toBuffer) {
          const bytes = await part.toBuffer();
          if (bytes.length) files.push({ name: part.filename, bytes });
        } else if (part?.type === 'field') fields[name] = String(part.value ?? '');
      }
    }
    req.body = fields;
    req.consoleFiles = files;
  });
  const sessions = createSessionStore(opts.sql);
  const secure = (req: FastifyRequest) => req.protocol === 'https';
  const sessionCookie = (req: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secure(req) });

  app.decorateRequest('console', null);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    // Pages show what one person may see: never kept by a shared office PC's cache.
    if (!req.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    const id = req.cookies[SESSION_COOKIE];
    if (!id) return;
    const s = await sessions.get(id);
    const principal = s ? await app.principals.byToken(s.token) : null;
    if (!s || !principal) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    req.console = { sessionId: id, token: s.token, csrf: s.csrf, principal, api: apiClient(app, s.token, req.id) };
    // The rate limit counts a signed-in person's pages in their own budget (not their office's address).
    req.principal = principal;
  });

  // Every form post carries the session's CSRF token (sign-in: the double-submit cookie's), and
  // comes from this origin when the browser says where it comes from.
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && hostOf(origin) !== req.headers.host) return refuse(reply, '请求来源不符');
    const sent = String((req.body as Record<string, unknown> | undefined)?._csrf ?? '');
    const expected = req.url === '/login' ? (req.cookies[LOGIN_CSRF_COOKIE] ?? '') : (req.console?.csrf ?? '');
    if (req.url !== '/login' && !req.console) return reply.redirect('/login', 303);
    if (!expected || !sameSecret(sent, expected)) return refuse(reply, '页面已过期，请刷新后重试');
  });
  const refuse = (reply: FastifyReply, text: string) => reply.code(403).type('text/html; charset=utf-8').send(layout(null, '无法提交', html`<h1>无法提交</h1><p>${text}</p><p><a href="/">返回首页</a></p>`).text);

  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'console page failed');
    const text =
      status === 404 ? '页面不存在' : status === 403 ? '无权查看' : status === 429 ? '操作过于频繁，请稍后再试' : status === 503 ? '系统暂时不可用，请稍后重试' : status >= 500 ? '系统繁忙，请稍后重试' : '请求有误';
    return reply.code(status).type('text/html; charset=utf-8').send(layout(req.console ? pageContext(req, reply) : null, text, html`<h1>${text}</h1><p><a href="/">返回首页</a></p>`).text);
  });
  app.get('/login', consoleRoute, async (req: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
    if (req.console) return reply.redirect('/', 303);
    const csrf = randomToken();
    void reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...sessionCookie(req), path: '/login', maxAge: 3600 });
    return reply.type('text/html; charset=utf-8').send(loginPage({ csrf, next: safeNext(req.query.next) }).text);
  });

  app.post('/login', consoleRoute, async (req: FastifyRequest<{ Body: { token?: string; next?: string } }>, reply) => {
    const token = String(req.body?.token ?? '').trim();
    const principal = token && token.length <= 200 ? await app.principals.byToken(token) : null;
    if (!principal) {
      const csrf = randomToken();
      void reply.setCookie(LOGIN_CSRF_COOKIE, csrf, { ...sessionCookie(req), path: '/login', maxAge: 3600 });
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage({ csrf, error: '访问令牌无效，请核对后重新输入', next: safeNext(req.body?.next) }).text);
    }
    // A sign-in starts a new session: one already in this browser ends.
    const previous = req.cookies[SESSION_COOKIE];
    if (previous) await sessions.end(previous);
    const { id } = await sessions.create(token);
    void reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    void reply.setCookie(SESSION_COOKIE, id, sessionCookie(req));
    req.log.info({ role: principal.role, unitId: principal.unitId }, 'console sign-in');
    return reply.redirect(safeNext(req.body?.next) ?? (principal.role === 'unit' ? '/todo' : '/'), 303);
  });

  app.post('/logout', consoleRoute, async (req, reply) => {
    if (req.console) await sessions.end(req.console.sessionId);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    setFlash(reply, 'ok', '已退出');
    return reply.redirect('/login', 303);
  });

  await app.register(assetRoutes);
  await app.register(pageRoutes);
  await app.register(importRoutes, { sql: opts.sql });
  await app.register(unitRoutes);
  await app.register(calendarRoutes);
  await app.register(sheetRoutes);
  await app.register(templateRoutes);
  await app.register(simulationRoutes);
  await app.register(deliveryRoutes);
}

/** Only a path of this site may follow sign-in (never another host: an open redirect). */
function safeNext(next: string | undefined): string | undefined {
  // Printable ASCII only (a Location header takes nothing else), a path, not "//host" or "/\\host".
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && next.length < 500 && !next.startsWith('/login') ? next : undefined;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
