/**
 * How a campaign's letters are issued and followed up, as data (the `letters` key of the
 * policy): who issues them (the mark, the abbreviation in document numbers, the signature),
 * who gets copies (抄送), how long a unit has to reply and to sign for a letter (签收), and how
 * often a delivery is tried before the office is told it failed.
 */
import { z } from 'zod';
import type { WorkCalendar } from '../calendar';
import { parseOffset, offsetSchema } from '../offset';
import { addDays, dateOf, instantAt, type DateStr } from '../time';
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

/**
 * The instant an offset after `from` ends: N working days → the end of the Nth working day
 * after from's date (a letter sent on Friday with "1WD" is to be signed for by Monday night);
 * a duration → exactly that much later.
 */
export function instantAfter(from: number, offset: string, cal: WorkCalendar): number {
  const off = parseOffset(offset);
  if (!off) throw new Error(`not an offset: ${offset}`);
  if (off.kind === 'duration') return from + off.ms;
  return instantAt(addDays(cal.addWorkingDays(dateOf(from), off.days), 1));
}

/** The date a letter issued at `at` asks for a reply by. */
export function replyByDate(at: number, p: LettersPolicy, cal: WorkCalendar): DateStr {
  return dateOf(instantAfter(at, p.replyWithin, cal) - 1);
}

/** When signing for a letter issued at `at` is due, or null when the policy asks for none. */
export function receiptDueAt(at: number, p: LettersPolicy, cal: WorkCalendar): number | null {
  return p.receiptWithin === null ? null : instantAfter(at, p.receiptWithin, cal);
}
