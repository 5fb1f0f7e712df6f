/**
 * The pressure policy, as data: reminders before the deadline, the report cadence, the
 * escalation ladder after it, the warning-light thresholds, delivery hours and the look-back.
 * Versioned (a campaign's items record which version they follow), validated with zod, and
 * testable on its own. Workflow code applies it; nothing here reads a clock or a database.
 */
import { z } from 'zod';
import { offsetSchema } from './offset';
import { DEFAULT_LETTERS_POLICY, lettersPolicySchema } from './letters/policy';
import { LETTER_TYPE_LABELS } from './letters/types';
import { DEFAULT_RATING_RULES, ratingRulesSchema } from './ratings';

export const LADDER_STEPS = ['reminder_letter', 'urging_letter', 'supervision_letter', 'summons'] as const;
export type LadderStepName = (typeof LADDER_STEPS)[number];
/** Each ladder step is the letter it sends: its label is the letter type's (domain/letters/types.ts). */
export const LADDER_STEP_LABELS = Object.fromEntries(LADDER_STEPS.map((s) => [s, LETTER_TYPE_LABELS[s]])) as Record<LadderStepName, string>;

export const CADENCES = ['weekly', 'xun', 'fortnightly', 'monthly', 'quarterly'] as const;
export const CADENCE_LABELS: Record<(typeof CADENCES)[number], string> = {
  weekly: '每周',
  xun: '每旬',
  fortnightly: '每两周',
  monthly: '每月',
  quarterly: '每季度',
};

/** A cadence: a named one (the calendar's weeks, 旬, months, quarters) or an offset for tests and demos. */
export const cadenceSchema = z.union([
  z.object({ every: z.enum(CADENCES), weekday: z.number().int().min(1).max(7).default(5).describe('for weekly/fortnightly: 1 = Monday … 5 = Friday') }),
  z.object({ every: offsetSchema.describe('an offset, for tests and demos: e.g. "PT1M"') }),
]);
export type Cadence = z.infer<typeof cadenceSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const policySchema = z.object({
  version: z.string().min(1).default('default-1'),
  /** Reminders before the deadline, counted back from the deadline day. */
  reminders: z.array(offsetSchema).max(10).default(['3WD', '1WD']),
  /** After the deadline passes without close-out; `after` counts from day 0 (the first morning after the deadline day). */
  ladder: z
    .array(
      z.object({
        step: z.enum(LADDER_STEPS),
        after: offsetSchema,
        /** Also list the item in the next bulletin (通报). */
        listInBulletin: z.boolean().default(false),
      }),
    )
    .max(10)
    .default([
      { step: 'reminder_letter', after: '0WD', listInBulletin: false },
      { step: 'urging_letter', after: '3WD', listInBulletin: false },
      { step: 'supervision_letter', after: '7WD', listInBulletin: true },
      { step: 'summons', after: '15WD', listInBulletin: true },
    ]),
  /** Units report on this cadence; a missed report is a late event. null: no cadence. */
  reportCadence: cadenceSchema.nullable().default({ every: 'weekly', weekday: 5 }),
  /**
   * The campaign's own cadences (seed 001: "每周一调度、每月一会商、季度一考评"; seed 003: "周例会、月通报、
   * 季调度"): the dispatch sheet (调度表), the bulletin (通报) and the rating (考评) that listing counts.
   * Absent: one cadence drives all three — a sheet each report period (monthly without one), its
   * bulletin, its ratings. See domain/cadences.ts.
   */
  cadences: z
    .object({
      dispatch: cadenceSchema.optional().describe('the dispatch sheet; absent: the report cadence (monthly without one)'),
      bulletin: cadenceSchema.optional().describe('the bulletin (通报); absent: one with each dispatch sheet'),
      rating: cadenceSchema.optional().describe('the rating (考评) listing counts, from the sheets of its period; absent: each dispatch sheet rates'),
    })
    .strict()
    .optional(),
  /**
   * Office hours for notices: a notice due outside them (at 3 a.m., on a holiday) goes out at
   * `at` on the next working day. null: at the exact instant (tests, urgent campaigns).
   */
  delivery: z.object({ at: hhmm.default('09:00'), until: hhmm.default('18:00') }).nullable().default({ at: '09:00', until: '18:00' }),
  lights: z
    .object({
      /** Yellow from this long before the deadline. */
      nearWithin: offsetSchema.default('3WD'),
      /** Yellow when progress lags the time-proportional target (序时进度) by more than this many points… */
      behindYellow: z.number().min(0).max(100).default(10),
      /** …and red when it lags by more than this. */
      behindRed: z.number().min(0).max(100).default(30),
    })
    .default({ nearWithin: '3WD', behindYellow: 10, behindRed: 30 }),
  /** How each dispatch period rates the units (好 / 中 / 差) and who is listed: see domain/ratings.ts. */
  ratings: ratingRulesSchema.default(DEFAULT_RATING_RULES),
  /** Letters: issuer, copies, reply and receipt times, delivery attempts (domain/letters/policy.ts). */
  letters: lettersPolicySchema.default(DEFAULT_LETTERS_POLICY),
  /** Look-back review (回头看) this long after close-out; null: none. */
  lookBack: z.object({ after: offsetSchema }).nullable().default({ after: 'P90D' }),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** A campaign's policy with an item's overrides applied (top-level keys replace). */
export function effectivePolicy(campaign: PolicyInput | null | undefined, item?: Partial<PolicyInput> | null): Policy {
  return policySchema.parse({ ...(campaign ?? {}), ...(item ?? {}) });
}
