import { z } from 'zod';
import { unitRef, uuid } from '../common-schemas';

export const unitKind = z.enum(['department', 'county', 'office', 'other']).describe('department (市直部门), county (县市区), office (督查室), other');
const unitName = z.string().trim().min(1).max(100);

export const createUnitBody = z.object({
  name: unitName.describe('full official name, e.g. 白城市住房和城乡建设局'),
  kind: unitKind,
  aliases: z.array(unitName).max(20).default([]).describe('other names officials write, e.g. 市住建局'),
  contactUnit: unitRef.optional().describe('联系部门: the department that looks after this unit (id, name or alias); a listing summons both heads (双约谈)'),
});

export const unitParams = z.object({ id: uuid });
export const setContactBody = z.object({
  contactUnit: unitRef.nullable().describe('联系部门 (id, name or alias), or null for none'),
});

export const unitSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: unitKind,
  aliases: z.array(z.string()),
  contactUnitId: z.string().nullable().describe('联系部门'),
  createdAt: z.string(),
});
export type UnitDto = z.infer<typeof unitSchema>;

export const listUnitsQuery = z.object({ kind: unitKind.optional() });
