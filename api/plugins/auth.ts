/**
 * Resolves the calling principal from `Authorization: Bearer <token>` and offers
 * `req.authorize(permission, ctx)`, which asks domain/access.ts. Routes never decide access
 * themselves, so a stricter policy is a change to that one module.
 */
import fp from 'fastify-plugin';
import { can, type Permission } from '../../domain/access';
import type { Principal } from '../../domain/principal';
import { forbidden, unauthorized } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Throws 401/403 unless the principal holds `perm`; returns the principal. */
    authorize(perm: Permission, ctx?: { itemUnitIds?: readonly string[]; letterUnitIds?: readonly string[] }): Principal;
  }
  interface FastifyContextConfig {
    /** Routes open to anyone (health, public calendar arithmetic). */
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
