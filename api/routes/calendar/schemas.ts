import { z } from 'zod';
import { MAX_OFFSET_WORKING_DAYS } from '../../../domain/bounds';
import { date, int32 } from '../common-schemas';


export const dayParams = z.object({ date });
export const daySchema = z.object({
  date: z.string(),
  working: z.boolean(),
  reason: z.enum(['workday', 'weekend', 'holiday', 'makeup_workday']).describe('makeup_workday: a weekend day worked (调休上班)'),
  holiday: z.string().nullable().describe('the holiday, or the one a make-up day is for'),
  officialScheduleKnown: z.boolean().describe('false: no official schedule loaded for this year, only weekends count'),
  calendarVersion: z.number(),
});

export const addWorkingDaysQuery = z.object({
  from: date,
  days: z.coerce.number().int().min(-MAX_OFFSET_WORKING_DAYS).max(MAX_OFFSET_WORKING_DAYS).describe('N: the date N working days after `from` (negative: before)'),
});
export const addWorkingDaysSchema = z.object({ from: z.string(), days: z.number(), date: z.string(), calendarVersion: z.number() });

export const noticeBody = z.object({
  name: z.string().trim().min(1).max(200).describe('e.g. 国务院办公厅关于2027年部分节假日安排的通知'),
  year: z.number().int().min(2000).max(2100),
  holidays: z.array(z.object({ from: date, to: date.optional(), name: z.string().trim().min(1).max(50) })).min(1),
  workdays: z.array(z.object({ date, name: z.string().trim().min(1).max(50) })).default([]),
});

export const versionSchema = z.object({
  version: z.number(),
  name: z.string(),
  source: z.string(),
  status: z.enum(['draft', 'active', 'retired']),
  years: z.array(z.number()),
  createdAt: z.string(),
  activatedAt: z.string().nullable(),
});
export const versionParams = z.object({ version: int32(1) });

export const effectSchema = z.object({
  from: z.number(),
  to: z.number(),
  signalled: z.number().optional().describe('open items asked to plan again'),
  items: z.array(
    z.object({
      itemId: z.string(),
      number: z.string(),
      deadlineBefore: z.string().nullable(),
      deadlineAfter: z.string().nullable(),
      deadlineShiftDays: z.number(),
      stepsMoved: z.array(z.object({ key: z.string(), before: z.string(), after: z.string() })),
    }),
  ),
});
