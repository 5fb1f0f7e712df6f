/**
 * Official letters (公文) the supervising office issues, their Chinese names, and how their
 * document numbers (发文字号) read: 白振办函〔2023〕12号 — the issuing body's prefix with the
 * letter's kind, the year in 〔〕 (hexagonal brackets, never 【】 or []), the number, 号.
 */
export const LETTER_TYPES = ['reminder_letter', 'urging_letter', 'supervision_letter', 'bulletin', 'summons', 'listed_supervision', 'assignment_letter'] as const;
export type LetterType = (typeof LETTER_TYPES)[number];

export const LETTER_TYPE_LABELS: Record<LetterType, string> = {
  reminder_letter: '提醒函',
  urging_letter: '催办函',
  supervision_letter: '督办函',
  bulletin: '通报',
  summons: '约谈通知',
  listed_supervision: '挂牌督办通知',
  /** At assignment (交办): one per unit, listing the items of the batch it leads (seed 000). */
  assignment_letter: '整改工作提醒函',
};

/** The kind character after the body's abbreviation: 函 for letters, 通 for bulletins, 发 for notices. */
export const DOC_KIND: Record<LetterType, string> = {
  reminder_letter: '函',
  urging_letter: '函',
  supervision_letter: '函',
  bulletin: '通',
  summons: '函',
  listed_supervision: '发',
  assignment_letter: '函',
};

/**
 * The layout of GB/T 9704-2012 a letter type follows: the letter format (信函格式, §10.1) for
 * 函 — 提醒函, 催办函, 督办函 and the 约谈 letter — and the document format (文件格式, §7) for
 * the 通报 and the notices.
 */
export type DocFormat = 'letter' | 'document';
export const DOC_FORMAT: Record<LetterType, DocFormat> = {
  reminder_letter: 'letter',
  urging_letter: 'letter',
  supervision_letter: 'letter',
  bulletin: 'document',
  summons: 'letter',
  listed_supervision: 'document',
  assignment_letter: 'letter',
};

/** 白振办函〔2023〕12号 */
export function docNumberText(bodyAbbreviation: string, type: LetterType, year: number, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`document numbers start at 1 (got ${n})`);
  return `${bodyAbbreviation}${DOC_KIND[type]}〔${year}〕${n}号`;
}

/** 成文日期 as documents write it: 2023年7月14日 (Arabic numerals, no leading zeros). */
export function chineseDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`expected YYYY-MM-DD, got "${date}"`);
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Page numbers as GB/T 9704 prints them: "— 1 —" (一字线 on both sides). */
export const pageNumberText = (n: number): string => `— ${n} —`;
