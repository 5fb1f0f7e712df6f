import { z } from 'zod';
import { MAX_CAMPAIGN_DAYS } from '../../../domain/bounds';
import { daysBetween } from '../../../domain/time';
import { date, uuid } from '../common-schemas';
import { policySchema } from '../../../domain/policy';

export const createCampaignBody = z
  .object({
    code: z.string().trim().min(1).max(100).optional().describe('your key for the campaign: creating the same code again returns the existing one'),
    title: z.string().trim().min(1).max(300),
    docNumber: z.string().trim().max(100).optional().describe('文号, e.g. 白脱贫发〔2020〕13号'),
    issuingBody: z.string().trim().max(200).optional(),
    startDate: date,
    endDate: date,
    policy: policySchema.partial().default({}).describe('defaults for its items: reminders, ladder, cadence, lights, delivery hours, look-back (see the README table)'),
  })
  .superRefine((c, ctx) => {
    if (c.endDate < c.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must not be before startDate' });
    else if (daysBetween(c.startDate, c.endDate) > MAX_CAMPAIGN_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `a campaign runs at most 5 years (${MAX_CAMPAIGN_DAYS} days) (专项行动时长不得超过 5 年)` });
    }
  });

export const campaignSchema = z.object({
  id: z.uuid(),
  code: z.string().nullable(),
  title: z.string(),
  docNumber: z.string().nullable(),
  issuingBody: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string(),
  createdAt: z.string(),
  policy: policySchema.describe('the effective policy (defaults filled in)'),
  workflowId: z.string().nullable().describe('the campaign workflow: dispatch cadence, ratings, listed supervision'),
  closedAt: z.string().nullable().describe('when the close-out summary was written'),
  summary: z.unknown().nullable(),
  itemCounts: z.record(z.string(), z.number()).describe('number of items per status'),
});
export type CampaignDto = z.infer<typeof campaignSchema>;

export const campaignParams = z.object({ id: uuid });

const lights = z.object({ green: z.number(), yellow: z.number(), red: z.number() });
export const statsSchema = z.object({
  asOf: z.string(),
  campaign: z.object({ items: z.number(), closed: z.number(), overdueNow: z.number(), green: z.number(), yellow: z.number(), red: z.number() }),
  units: z.array(
    z.object({
      unitId: z.string(),
      name: z.string(),
      rank: z.number().describe('1 = best: on-time rate, then fewest overdue, then fewest days late'),
      items: z.number(),
      closed: z.number(),
      closedOnTime: z.number(),
      onTimeRate: z.number().nullable().describe('closed on time / closed; null before anything closed'),
      overdueNow: z.number(),
      averageDaysLate: z.number().describe('over items closed late or overdue now'),
      lights,
    }),
  ),
});
