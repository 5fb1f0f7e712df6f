/** Token → principal. The office's bootstrap token comes from configuration; others are issued. */
import crypto from 'node:crypto';
import type { Principal, Role } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { badRequest } from '../errors';

export function createPrincipalService(deps: { sql: Sql; officeToken: string }) {
  const { sql } = deps;
  return {
    async byToken(token: string): Promise<Principal | null> {
      if (token === deps.officeToken) return { role: 'office', name: '督查室' };
      const [row] = await sql<{ role: Role; name: string; unitId: string | null }[]>`
        select role, name, unit_id from principals where token = ${token}`;
      if (!row) return null;
      return row.unitId ? { role: row.role, name: row.name, unitId: row.unitId } : { role: row.role, name: row.name };
    },

    /** Issues a token; `token` may be fixed by trusted callers (the demo loader), never by the API. */
    async issue(p: { role: Role; name: string; unitId?: string }, token = `rk_${crypto.randomBytes(24).toString('base64url')}`) {
      if (p.unitId) {
        const [unit] = await sql`select 1 from units where id = ${p.unitId}`;
        if (!unit) throw badRequest(`unknown unit ${p.unitId}`, [{ path: 'body.unitId', message: 'no such unit' }]);
      }
      await sql`insert into principals (token, role, unit_id, name) values (${token}, ${p.role}, ${p.unitId ?? null}, ${p.name})
                on conflict (token) do nothing`;
      return { token, role: p.role, name: p.name, unitId: p.unitId ?? null };
    },
  };
}
export type PrincipalService = ReturnType<typeof createPrincipalService>;
