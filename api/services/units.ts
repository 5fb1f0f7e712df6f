/** The directory of responsible units, and resolving the names officials write to units. */
import type { Sql } from '../../infra/db';
import { badRequest, conflict, notFound } from '../errors';
import type { UnitDto } from '../routes/units/schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createUnitService({ sql }: { sql: Sql }) {
  /** Maps each reference (id, name or alias) to a unit id; unknown ones map to undefined. */
  async function resolve(refs: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(refs)];
    if (!unique.length) return new Map();
    const ids = unique.filter((r) => UUID.test(r));
    const rows = await sql<{ ref: string; unitId: string }[]>`
      select name as ref, unit_id from unit_names where name in ${sql(unique)}
      ${ids.length ? sql`union all select id::text as ref, id as unit_id from units where id in ${sql(ids)}` : sql``}`;
    return new Map(rows.map((r) => [r.ref, r.unitId]));
  }

  /** The 联系部门 a reference names, or a 400 on the field. */
  async function resolveContact(ref: string, path: string): Promise<string> {
    const id = (await resolve([ref])).get(ref);
    if (!id) throw badRequest(`unknown unit "${ref}"`, [{ path, message: `unknown unit "${ref}": add it to the directory (or as an alias) first` }]);
    return id;
  }

  return {
    async create(u: { name: string; kind: UnitDto['kind']; aliases: string[]; contactUnit?: string | undefined }): Promise<UnitDto> {
      const names = [...new Set([u.name, ...u.aliases])];
      const contact = u.contactUnit === undefined ? null : await resolveContact(u.contactUnit, 'body.contactUnit');
      return sql.begin(async (tx) => {
        const taken = await tx<{ name: string }[]>`select name from unit_names where name in ${tx(names)}`;
        if (taken.length) {
          throw conflict('NAME_TAKEN', `already used by another unit: ${taken.map((t) => t.name).join(', ')}`, { names: taken.map((t) => t.name) });
        }
        const [row] = await tx<UnitDto[]>`
          insert into units (name, kind, aliases, contact_unit_id) values (${u.name}, ${u.kind}, ${u.aliases}, ${contact}) returning *`;
        await tx`insert into unit_names ${tx(names.map((name) => ({ name, unitId: row!.id })))}`;
        return row!;
      });
    },

    /** Sets (or clears) a unit's 联系部门. */
    async setContact(id: string, ref: string | null): Promise<UnitDto> {
      const contact = ref === null ? null : await resolveContact(ref, 'body.contactUnit');
      if (contact === id) throw badRequest('a unit cannot be its own contact department', [{ path: 'body.contactUnit', message: 'a unit cannot be its own contact department (联系部门不能是本单位)' }]);
      const [row] = await sql<UnitDto[]>`update units set contact_unit_id = ${contact} where id = ${id} returning *`;
      if (!row) throw notFound('unit', id);
      return row;
    },

    list(filter: { kind?: UnitDto['kind'] }): Promise<UnitDto[]> {
      return sql<UnitDto[]>`
        select * from units ${filter.kind ? sql`where kind = ${filter.kind}` : sql``} order by kind, name`;
    },

    resolve,
  };
}
export type UnitService = ReturnType<typeof createUnitService>;
