/**
 * Resolves the calling principal from `Authorization: Bearer <token>` and offers
 * `req.authorize(permission, ctx)`, which asks domain/access.ts. Routes never decide access
 * themselves, so a stricter policy is a change to that one module.
 *
 * Order, per request: the token is resolved on request (after the text guard); the rate limit
 * then counts the request against the principal it resolved to — or against the address when it
 * names no one, so made-up tokens share one budget (api/plugins/rate-limit.ts); then, before any
 * body is read, a non-public route refuses a caller without a principal (401). A route with a
 * large body also checks the permission there (the import: `preParsing`), so a caller who may
 * not use it never has the body parsed.
 */
import fp from 'fastify-plugin';
import { can, type AccessContext, type Permission } from '../../domain/access';
import type { Principal } from '../../domain/principal';
import { AppError, forbidden, unauthorized } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Why the Authorization header names no one (malformed, unknown token): answered 401 once the rate limit has counted the request. */
    authFailure: AppError | null;
    /** Throws 401/403 unless the principal holds `perm`; returns the principal. */
    authorize(perm: Permission, ctx?: AccessContext): Principal;
  }
  interface FastifyContextConfig {
    /** Routes open to anyone (health, public calendar arithmetic); an OpenAPI `security: []` means the same. */
    public?: boolean;
  }
}

export default fp(async (app) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('authFailure', null);
  app.decorateRequest('authorize', function (this: { principal: Principal | null }, perm: Permission, ctx = {}) {
    const p = this.principal;
    if (!p) throw unauthorized('send Authorization: Bearer <token>');
    const d = can(p, perm, ctx);
    if (!d.allowed) throw forbidden(d.reason);
    return p;
  });

  app.addHook('onRequest', async (req) => {
    // Public means public: a public route ignores the Authorization header entirely (an unknown
    // or malformed token is no reason to refuse what anyone may have).
    if (isPublic(req.routeOptions)) return;
    const header = req.headers.authorization;
    if (!header) return;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      req.authFailure = unauthorized('malformed Authorization header: expected "Bearer <token>"');
      return;
    }
    const principal = await app.principals.byToken(m[1]!);
    if (!principal) {
      req.authFailure = unauthorized('unknown token');
      return;
    }
    req.principal = principal;
    req.log = req.log.child({ principal: principal.unitId ? `${principal.role}:${principal.unitId}` : principal.role });
  });

  // Before the body is read (and after the rate limit, a route-level onRequest hook, has counted
  // the request): no principal, no further.
  app.addHook('preParsing', async (req) => {
    if (req.is404 || isPublic(req.routeOptions)) return;
    if (!req.principal) throw req.authFailure ?? unauthorized('send Authorization: Bearer <token>');
  });
});

/**
 * A route open to anyone: `config.public`, or an OpenAPI operation with `security: []`, or the
 * API's documentation. The one statement of the rule: the auth hooks above and the documented
 * error answers (api/plugins/error-responses.ts: no 401/403 on a public route) both ask it.
 */
export function isPublic(route: { config?: unknown; schema?: unknown; url?: string }): boolean {
  const config = route.config as { public?: boolean } | undefined;
  const schema = route.schema as { security?: unknown[] } | undefined;
  return config?.public === true || (Array.isArray(schema?.security) && schema.security.length === 0) || PUBLIC_PREFIXES.some((p) => route.url?.startsWith(p) === true);
}
/** The API's own documentation (Swagger UI, the OpenAPI document) is public too. */
const PUBLIC_PREFIXES = ['/docs'];
