/**
 * Resolves the calling principal from `Authorization: Bearer <token>` and offers
 * `req.authorize(permission, ctx)`, which asks domain/access.ts. Routes never decide access
 * themselves, so a stricter policy is a change to that one module.
 */
import fp from 'fastify-plugin';
import { can, type AccessContext, type Permission } from '../../domain/access';
import type { Principal } from '../../domain/principal';
import { forbidden, unauthorized } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
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
    if (!m) throw unauthorized('malformed Authorization header: expected "Bearer <token>"');
    const principal = await app.principals.byToken(m[1]!);
    if (!principal) throw unauthorized('unknown token');
    req.principal = principal;
    req.log = req.log.child({ principal: principal.unitId ? `${principal.role}:${principal.unitId}` : principal.role });
  });
});

/** A route open to anyone: `config.public`, or an OpenAPI operation with `security: []`. */
export function isPublic(route: { config?: unknown; schema?: unknown; url?: string }): boolean {
  const config = route.config as { public?: boolean } | undefined;
  const schema = route.schema as { security?: unknown[] } | undefined;
  return config?.public === true || (Array.isArray(schema?.security) && schema.security.length === 0) || PUBLIC_PREFIXES.some((p) => route.url?.startsWith(p) === true);
}
/** The API's own documentation (Swagger UI, the OpenAPI document) is public too. */
const PUBLIC_PREFIXES = ['/docs'];
