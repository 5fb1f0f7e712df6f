import { z } from 'zod';
import { int32, uuid } from '../common-schemas';
import { RATINGS } from '../../../domain/ratings';

export const campaignParams = z.object({ id: uuid });
export const sheetParams = z.object({ id: uuid, seq: int32(1) });
export const delistParams = z.object({ id: uuid, unitId: uuid });
export const delistBody = z.object({ reason: z.string().trim().min(1, 'say why the unit comes off the list').max(2000) });
export const applyDelistingBody = z.object({
  application: z.string().trim().min(1, 'say what was put right (整改情况)').max(5000).describe('摘牌申请: what the unit has put right'),
});
export const reviewDelistingBody = z.object({
  passed: z.boolean().describe('初审 passed (the office may then delist) or sent back'),
  note: z.string().trim().min(1, 'give the review’s opinion').max(2000).describe('初审意见'),
});

const rating = z.enum(RATINGS).describe('good 好 / fair 中 / poor 差');
const ratings = z.object({ good: z.number(), fair: z.number(), poor: z.number() });

export const totalsSchema = z.object({
  items: z.number(),
  closed: z.number(),
  overdue: z.number(),
  notReported: z.number(),
  completionRate: z.number().describe('closed / items, percent'),
  progress: z.number().nullable().describe('average progress, percent (closed = 100)'),
  target: z.number().nullable().describe('average time-proportional target (序时进度), percent'),
  ratings,
});

export const sheetUnitSchema = z.object({
  unitId: z.string(),
  name: z.string(),
  rank: z.number(),
  rating,
  ratingLabel: z.string(),
  reasons: z.array(z.string()).describe('why the unit is not rated 好, in Chinese'),
  items: z.number(),
  dueInPeriod: z.number(),
  toReport: z.number().describe('open items the unit should report on'),
  reported: z.number(),
  notReported: z.number().describe('未报送'),
  notReportedItems: z.array(z.string()),
  closed: z.number(),
  closedOnTime: z.number(),
  closedLate: z.number(),
  overdue: z.number(),
  overdueItems: z.array(z.string()),
  completionRate: z.number(),
  progress: z.number().nullable(),
  target: z.number().nullable(),
  lag: z.number().nullable().describe('target minus progress, points (negative: ahead)'),
});

const sheetHead = {
  seq: z.number(),
  periodStart: z.string(),
  periodEnd: z.string(),
  policyVersion: z.string(),
  compiledAt: z.string(),
  totals: totalsSchema,
};
export const sheetSummarySchema = z.object(sheetHead);
export const sheetSchema = z.object({ ...sheetHead, units: z.array(sheetUnitSchema) });

/** An evaluation's row: the sheet row's rating, ranking and standing, with what its periods summed. */
export const evaluationUnitSchema = sheetUnitSchema
  .pick({ unitId: true, name: true, rank: true, rating: true, ratingLabel: true, reasons: true, overdueItems: true, completionRate: true, progress: true, target: true, lag: true })
  .extend({
    periods: z.number().describe('dispatch periods of the evaluation that rated the unit'),
    sheetRatings: ratings.describe('how those sheets rated it'),
    toReport: z.number().describe('reports owed over every sheet of the period'),
    notReported: z.number().describe('未报送 over every sheet of the period'),
    overdue: z.number().describe('as the last sheet of the period found it'),
  });
const evaluationHead = {
  seq: z.number(),
  periodStart: z.string(),
  periodEnd: z.string(),
  policyVersion: z.string(),
  compiledAt: z.string(),
  sheetSeqs: z.array(z.number()).describe('the dispatch sheets it was built from'),
  totals: z.object({ units: z.number(), ratings }),
};
export const evaluationSummarySchema = z.object(evaluationHead);
export const evaluationSchema = z.object({ ...evaluationHead, units: z.array(evaluationUnitSchema) });

export const seriesSchema = z.object({
  points: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      completionRate: z.number(),
      progress: z.number().nullable(),
      target: z.number().nullable(),
      overdue: z.number(),
      notReported: z.number(),
    }),
  ),
});

export const listingSchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  listedSeq: z.number(),
  listedAt: z.string(),
  basis: z.enum(['dispatch', 'evaluation']).describe('what listedSeq, poorPeriods and delistedSeq count: dispatch periods (第N期) or evaluations (第N次考评)'),
  poorPeriods: z.array(z.number()),
  delistedAt: z.string().nullable(),
  delistedSeq: z.number().nullable(),
  delistedBy: z.string().nullable().describe("'rule' or the office's name"),
  delistReason: z.string().nullable(),
  delisting: z
    .array(z.object({ requestNo: z.number(), step: z.enum(['applied', 'review_passed', 'review_failed', 'delisted']), stepLabel: z.string(), note: z.string(), actor: z.string(), at: z.string() }))
    .describe('the 摘牌 application, its review (初审) and the decision, in order'),
});

const standing = z.object({ poorStreak: z.number(), poorPeriods: z.array(z.number()), goodStreak: z.number(), listedSince: z.number().nullable() });
export const campaignStateSchema = z.object({
  periods: z.number(),
  lastDispatchAt: z.string(),
  nextDispatchAt: z.string().nullable(),
  ratingBasis: z.enum(['dispatch', 'evaluation']).describe('what listing counts: each dispatch sheet, or evaluations (考评) on their own cadence'),
  evaluations: z.number(),
  nextEvaluationAt: z.string().nullable(),
  bulletins: z.number().describe('bulletins on their own cadence; 0 when each sheet has its bulletin'),
  nextBulletinAt: z.string().nullable(),
  listed: z.array(z.object({ unitId: z.string(), since: z.number() })),
  standings: z.record(z.string(), standing),
  delisting: z.record(
    z.string(),
    z.object({ requestNo: z.number(), listedSince: z.number(), status: z.enum(['applied', 'review_passed', 'review_failed']), application: z.string(), appliedAt: z.number() }),
  ),
  closed: z.boolean(),
});
