import { z } from 'zod';
import { uuid } from '../common-schemas';
import { ROLES } from '../../../domain/principal';

export const createPrincipalBody = z
  .object({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(100).describe('who holds the token, e.g. 市住建局 联络员'),
    unitId: uuid.optional().describe('required for role "unit"'),
  })
  .superRefine((v, ctx) => {
    if ((v.role === 'unit') !== Boolean(v.unitId)) {
      ctx.addIssue({ code: 'custom', path: ['unitId'], message: v.role === 'unit' ? 'a unit principal needs unitId' : 'only unit principals have a unitId' });
    }
  });

export const principalSchema = z.object({
  role: z.enum(ROLES),
  name: z.string(),
  unitId: z.uuid().nullable(),
});
export const issuedTokenSchema = principalSchema.extend({ token: z.string() });
