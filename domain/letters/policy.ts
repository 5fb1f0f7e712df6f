/**
 * How a campaign's letters are issued and followed up, as data (the `letters` key of the
 * policy): who issues them (the mark, the abbreviation in document numbers, the signature),
 * who gets copies (抄送), how long a unit has to reply and to sign for a letter (签收), and how
 * often a delivery is tried before the office is told it failed. (The reply date and the
 * receipt time, deadlines set by offsets, are computed in domain/schedule.ts.)
 */
import { z } from 'zod';
import { offsetSchema, parseOffset } from '../offset';
import { LETTER_TYPES } from './types';

export const lettersPolicySchema = z.object({
  issuer: z
    .object({
      /** The red mark (发文机关标志); default: the campaign's issuing body + 办公室 wording is the office's own. */
      mark: z.string().trim().min(1).max(60).optional(),
      /** In document numbers: 白振办 → 白振办函〔2023〕12号. */
      abbreviation: z.string().trim().min(1).max(20).default('整改办'),
      /** Under the body, over the date; default: the mark. */
      signature: z.string().trim().min(1).max(60).optional(),
    })
    .default({ abbreviation: '整改办' }),
  /** How letters name the office in their text ("报送{{officeName}}"). */
  officeName: z.string().trim().min(1).max(60).default('整改工作领导小组办公室'),
  /** 抄送 bodies printed on each type of letter (names, not units of the directory). */
  cc: z.partialRecord(z.enum(LETTER_TYPES), z.array(z.string().trim().min(1).max(60)).max(20)).default({}),
  /** Item letters go to the co-operating units as copies (抄送) too. */
  copyCoUnits: z.boolean().default(true),
  /** The reply date written in letters ("于…前报送"). */
  replyWithin: offsetSchema.default('3WD'),
  /** A letter not signed for (签收) within this is a late event; null: no receipts asked. */
  receiptWithin: offsetSchema.nullable().default('1WD'),
  /**
   * Ladder letters go one per unit: the steps of one rung that fall due for a unit on one day are
   * collected for this long after the first, then written as one letter listing those items
   * (domain/letters/batch.ts). A duration of at most a day; "PT0S" writes at once.
   */
  collectFor: offsetSchema
    .refine((s) => { const o = parseOffset(s); return o?.kind === 'duration' && o.ms <= 86_400_000; }, 'a duration of at most one day, e.g. "PT10M" (收集时长须为不超过一天的时长)')
    .default('PT10M'),
  /**
   * At assignment (交办), each unit gets one 整改工作提醒函 listing the items of the batch (one
   * create call, one import) it leads, with their deadlines (seed 000: 16 departments, 16 letters).
   */
  atAssignment: z.boolean().default(true),
  /**
   * The co-operating units at assignment: 'copy' — a copy (抄送) of the lead's letter; 'own_letter'
   * — a letter of their own, listing the items they lead and those they support, each marked.
   */
  coUnitsAtAssignment: z.enum(['copy', 'own_letter']).default('copy'),
  /** Tries per delivery (with backoff) before the office is told it failed. */
  deliveryAttempts: z.number().int().min(1).max(20).default(5),
});

export type LettersPolicy = z.infer<typeof lettersPolicySchema>;
export const DEFAULT_LETTERS_POLICY: LettersPolicy = lettersPolicySchema.parse({});

/** The issuer of a campaign's letters: the policy's, else the campaign's issuing body. */
export function issuerOf(p: LettersPolicy, campaignIssuingBody: string | null): { mark: string; abbreviation: string; signature: string } {
  const mark = p.issuer.mark ?? campaignIssuingBody ?? p.officeName;
  return { mark, abbreviation: p.issuer.abbreviation, signature: p.issuer.signature ?? mark };
}

/** How long a unit's ladder letter collects its items (milliseconds). */
export const collectForMs = (p: LettersPolicy): number => {
  const o = parseOffset(p.collectFor);
  return o?.kind === 'duration' ? o.ms : 0;
};
