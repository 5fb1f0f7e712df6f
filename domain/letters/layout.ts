/**
 * GB/T 9704-2012 (党政机关公文格式) as numbers, shared by the .docx, PDF and HTML renderers.
 * A4; margins top 37 mm, bottom 35 mm, left 28 mm (订口), right 26 mm: a 156 × 225 mm text block
 * of 22 lines × 28 characters in 3号 (16 pt) 仿宋; the title in 2号 (22 pt) 小标宋; page numbers
 * in 4号 (14 pt) 宋体 as "— 1 —", odd pages right, even pages left, one character in.
 */
export const MM_PER_INCH = 25.4;
export const PT_PER_MM = 72 / MM_PER_INCH;
/** Word measures in twentieths of a point (twips). */
export const TWIPS_PER_MM = PT_PER_MM * 20;

export const PAGE = { widthMm: 210, heightMm: 297 } as const;
export const MARGINS_MM = { top: 37, bottom: 35, left: 28, right: 26 } as const;
export const TEXT_BLOCK_MM = { width: PAGE.widthMm - MARGINS_MM.left - MARGINS_MM.right, height: PAGE.heightMm - MARGINS_MM.top - MARGINS_MM.bottom } as const;
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;

/** 字号 (Chinese font sizes) in points. */
export const FONT_SIZE_PT = { '2号': 22, '3号': 16, '4号': 14 } as const;
export const BODY_PT = FONT_SIZE_PT['3号'];
export const TITLE_PT = FONT_SIZE_PT['2号'];
export const PAGE_NUMBER_PT = FONT_SIZE_PT['4号'];

/** The line pitch that puts exactly 22 lines in the text block: 225 mm / 22 ≈ 29.0 pt. */
export const LINE_PITCH_PT = (TEXT_BLOCK_MM.height * PT_PER_MM) / LINES_PER_PAGE;
/** The character pitch that puts exactly 28 characters on a line: 156 mm / 28 ≈ 15.8 pt. */
export const CHAR_PITCH_PT = (TEXT_BLOCK_MM.width * PT_PER_MM) / CHARS_PER_LINE;

/**
 * Font names as Word and WPS on government machines know them. The PDF renderer needs the font
 * files themselves (see infra/fonts.ts); a missing one is an error, never boxes.
 */
export const FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

export const mmToTwips = (mm: number): number => Math.round(mm * TWIPS_PER_MM);
export const ptToTwips = (pt: number): number => Math.round(pt * 20);

/** The 发文机关标志 (mark): 小标宋, red; shrunk to fit when a long name would overflow. */
export const MARK_PT = 26;
/** 3号 character height's 7/8 (GB/T 9704 §3.2: one "line" is a character plus this). */
export const SEVEN_EIGHTHS_PT = (BODY_PT * 7) / 8;

/**
 * 信函格式 (GB/T 9704-2012 §10.1), for 函: the mark's top edge 30 mm from the page top; 4 mm
 * under it a red double rule, thick over thin; a red double rule, thin over thick, 20 mm from
 * the page bottom; both 170 mm long, centred on the text block. The 发文字号 flush right (份号,
 * 密级, 紧急程度 flush left, one under the other) 7/8 of a 3号 character under the upper rule;
 * the title two lines under the last of them. No page number on page 1. The 版记 holds 抄送
 * only — no 印发机关, 印发日期 or rules — at the foot of the last page's text block.
 */
export const LETTER_FORMAT = {
  markTopMm: 30,
  ruleGapMm: 4,
  lowerRuleFromBottomMm: 20,
  ruleLengthMm: 170,
  /** The double rules: line widths and the gap between them, in points. */
  thickPt: 2.25,
  thinPt: 0.75,
  gapPt: 1.5,
} as const;

/**
 * 文件格式 (§7): the mark's top edge 35 mm under the text block's top; the 发文字号 centred two
 * lines under the mark; 4 mm under it a red rule as wide as the text block; the title two lines
 * under the rule. The 版记 at the foot of the last page: 抄送 and 印发机关/印发日期 in 4号
 * between rules as wide as the text block — thick (0.35 mm) first and last, thin (0.25 mm)
 * between — the last one on the text block's bottom edge.
 */
export const DOCUMENT_FORMAT = {
  markBelowBlockTopMm: 35,
  numberRuleGapMm: 4,
  redRulePt: 1,
  recordThickMm: 0.35,
  recordThinMm: 0.25,
} as const;

/** Page numbers: the dash line 7 mm under the text block. */
export const PAGE_NUMBER_BELOW_BLOCK_MM = 7;
