import { z } from 'zod';

export const unitKind = z.enum(['department', 'county', 'office', 'other']).describe('department (市直部门), county (县市区), office (督查室), other');
const unitName = z.string().trim().min(1).max(100);

export const createUnitBody = z.object({
  name: unitName.describe('full official name, e.g. 白城市住房和城乡建设局'),
  kind: unitKind,
  aliases: z.array(unitName).max(20).default([]).describe('other names officials write, e.g. 市住建局'),
});

export const unitSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: unitKind,
  aliases: z.array(z.string()),
  createdAt: z.string(),
});
export type UnitDto = z.infer<typeof unitSchema>;

export const listUnitsQuery = z.object({ kind: unitKind.optional() });
