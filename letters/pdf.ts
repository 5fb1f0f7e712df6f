/**
 * An official document as PDF for printing and preview, laid out here line by line with the
 * GB/T 9704-2012 measures of domain/letters/layout.ts: A4, the 156 × 225 mm text block, 22 lines
 * of 28 characters in 3号, in either format —
 *   - 信函格式 (§10.1, 函): the red mark 30 mm from the page top between the red double rules
 *     (thick over thin under the mark, thin over thick 20 mm from the page foot, 170 mm long),
 *     the 发文字号 flush right under the upper rule, no page number on page 1, the 版记 (抄送
 *     only) at the foot of the last page;
 *   - 文件格式 (§7, 通报 and notices): the red mark 35 mm into the text block, the 发文字号
 *     centred two lines under it over a red rule, the 版记 (抄送, 印发) between rules at the
 *     foot of the last page, its last rule on the text block's bottom edge.
 * The 版记 is never alone on a page: the signature, the date and the body's last lines move
 * with it. Fonts are chains (infra/fonts.ts), chosen per character: a rare character in a name
 * prints from the next font that has it; one no font has is an error naming it, checked before
 * anything is drawn — never an empty box on paper. Deterministic: the same document and fonts
 * give the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { DocParagraph, OfficialDocument } from '../domain/letters/document';
import {
  BODY_PT,
  CHAR_PITCH_PT,
  DOCUMENT_FORMAT,
  LETTER_FORMAT,
  LINE_PITCH_PT,
  MARGINS_MM,
  MARK_PT,
  PAGE,
  PAGE_NUMBER_BELOW_BLOCK_MM,
  PAGE_NUMBER_PT,
  PT_PER_MM,
  SEVEN_EIGHTHS_PT,
  TEXT_BLOCK_MM,
  TITLE_PT,
} from '../domain/letters/layout';
import { pageNumberText } from '../domain/letters/types';
import { chainOf, describeFont, FontError, fontRuns, missingGlyphs, openFace, type FontFile, type FontRole, type FontSpec } from '../infra/fonts';

/** Per role, one font or a fallback chain. */
export type PdfFonts = Record<FontRole, FontSpec>;

const mm = (v: number) => v * PT_PER_MM;
const RED = '#ff0000';
const BLACK = '#000000';
/** The em box of CJK fonts: 0.88 em above the baseline, 0.12 em below. */
const ASCENT = 0.88;

const LEFT = mm(MARGINS_MM.left);
const WIDTH = mm(TEXT_BLOCK_MM.width);
const RIGHT = LEFT + WIDTH;
const BLOCK_TOP = mm(MARGINS_MM.top);
const BLOCK_BOTTOM = mm(PAGE.heightMm - MARGINS_MM.bottom);
const PITCH = LINE_PITCH_PT;
const TITLE_PITCH = TITLE_PT * 1.6;
const SMALL = PAGE_NUMBER_PT; // 4号: the 版记 and page numbers

export interface PlacedText {
  kind: 'text';
  role: FontRole;
  /** Index in the role's chain of the font that draws this run. */
  font: number;
  text: string;
  x: number;
  /** Baseline, in points from the page top. */
  y: number;
  size: number;
  /** Extra advance after every character (pt). */
  spacing: number;
  color: string;
}
export interface PlacedRule {
  kind: 'rule';
  x1: number;
  x2: number;
  /** Centre line, in points from the page top. */
  y: number;
  width: number;
  color: string;
}
export type Placed = PlacedText | PlacedRule;
export interface LaidOutPage {
  items: Placed[];
  /** "— n —", or null where the format shows none (page 1 of a letter). */
  pageNumber: string | null;
}

/** Per font role, the characters of `doc` no font of that role's chain can draw (empty when all can). */
export function missingGlyphsByRole(doc: OfficialDocument, fonts: PdfFonts): [FontRole, string[]][] {
  const uses: [FontRole, string][] = [
    ['title', doc.issuingBodyMark + doc.title],
    ['body', [doc.docNumber, doc.addressees.join('、'), '：', doc.signature, doc.date, '抄送，。印发— 0123456789', doc.cc.join('，'), doc.printedBy, doc.printedDate, doc.copyNumber ?? '', ...doc.paragraphs.filter((p) => p.level === 0 || p.level === 3).map((p) => p.text)].join('')],
    ['heading1', [doc.secrecy ?? '', doc.urgency ?? '', ...doc.paragraphs.filter((p) => p.level === 1).map((p) => p.text)].join('')],
    ['heading2', doc.paragraphs.filter((p) => p.level === 2).map((p) => p.text).join('')],
  ];
  return uses.map(([role, text]) => [role, missingGlyphs(fonts[role], text)] as [FontRole, string[]]).filter(([, chars]) => chars.length);
}

function checkGlyphs(doc: OfficialDocument, fonts: PdfFonts): void {
  const problems = missingGlyphsByRole(doc, fonts).map(([role, chars]) => {
    const chain = chainOf(fonts[role]);
    return `${role} font${chain.length > 1 ? 's' : ''} ${chain.map(describeFont).join(', ')} cannot draw ${chars.slice(0, 20).join('')}`;
  });
  if (problems.length) throw new FontError(`the PDF would print empty boxes: ${problems.join('; ')}`);
}

function documentDate(doc: OfficialDocument): Date {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(doc.date);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(Date.UTC(2000, 0, 1));
}

// ---------------------------------------------------------------------------------------------
// Measuring and breaking text

type Glyphs = { glyphForCodePoint(cp: number): { advanceWidth: number }; unitsPerEm: number };

class Typesetter {
  constructor(private readonly fonts: PdfFonts) {}

  /** The runs of `text` per font of the role's chain, with each character's advance at `size`. */
  runs(role: FontRole, text: string, size: number): { font: number; text: string; advances: number[] }[] {
    const chain = chainOf(this.fonts[role]);
    return fontRuns(chain, text).map((r) => {
      const face = openFace(chain[r.font] as FontFile) as unknown as Glyphs;
      return { ...r, advances: [...r.text].map((c) => (face.glyphForCodePoint(c.codePointAt(0)!).advanceWidth * size) / face.unitsPerEm) };
    });
  }

  width(role: FontRole, text: string, size: number, spacing = 0): number {
    return this.runs(role, text, size).reduce((w, r) => w + r.advances.reduce((a, b) => a + b + spacing, 0), 0);
  }

  /** Text on one line from x, as placed runs (baseline y). */
  place(role: FontRole, text: string, size: number, x: number, y: number, spacing = 0, color = BLACK): PlacedText[] {
    const out: PlacedText[] = [];
    for (const r of this.runs(role, text, size)) {
      out.push({ kind: 'text', role, font: r.font, text: r.text, x, y, size, spacing, color });
      x += r.advances.reduce((a, b) => a + b + spacing, 0);
    }
    return out;
  }

  /**
   * A paragraph broken into lines of `width` (the first `indent` narrower), with the line-breaking
   * rules of Chinese text: closing punctuation never starts a line, opening punctuation never
   * ends one, a run of Latin letters or digits is not split. Justified lines but the last.
   */
  lines(role: FontRole, text: string, size: number, opts: { width: number; indent?: number; hang?: number; spacing?: number; justify?: boolean }): { text: string; x: number; spacing: number }[] {
    const spacing = opts.spacing ?? 0;
    const tokens = text.match(/[\x21-\x7e]+|\s|./gsu) ?? [];
    const widthOf = (t: string) => this.width(role, t, size, spacing);
    const out: { text: string; x: number; spacing: number }[] = [];
    let line: string[] = [];
    let used = 0;
    const avail = () => opts.width - (out.length === 0 ? (opts.indent ?? 0) : (opts.hang ?? 0));
    const flush = (last: boolean) => {
      while (line.length && /^\s$/.test(line[line.length - 1]!)) line.pop();
      const s = line.join('');
      const x0 = LEFT + (out.length === 0 ? (opts.indent ?? 0) : (opts.hang ?? 0));
      const chars = [...s].length;
      const slack = avail() - widthOf(s);
      const extra = opts.justify && !last && chars > 1 && slack > 0 ? slack / (chars - 1) : 0;
      out.push({ text: s, x: x0, spacing: spacing + extra });
      line = [];
      used = 0;
    };
    const NO_START = /^[，。、；：？！）》」』”’〕】…—％%,.;:?!)\]}·]/u;
    const NO_END = /[（《「『“‘〔【([{]$/u;
    for (const t of tokens) {
      if (!line.length && /^\s$/.test(t)) continue;
      const w = widthOf(t);
      if (used + w > avail() + 0.01 && line.length) {
        // Carry back characters the break rules forbid at the line's end or the next line's start.
        const carry: string[] = [];
        if (NO_START.test(t) && line.length > 1) carry.unshift(line.pop()!);
        while (line.length > 1 && NO_END.test(line[line.length - 1]!)) carry.unshift(line.pop()!);
        flush(false);
        line = carry;
        used = carry.reduce((a, c) => a + widthOf(c), 0);
      }
      line.push(t);
      used += w;
    }
    if (line.length || !out.length) flush(true);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The flow: lines of the title, the addressees, the body and the signature, then paginated

interface FlowLine {
  height: number;
  /** Items with y relative to the line's top. */
  items: Placed[];
  blank?: boolean;
}

/** Baseline of text of `size` centred in a line box of `height`. */
const baselineIn = (height: number, size: number) => (height - size) / 2 + ASCENT * size;

export function layoutDocument(doc: OfficialDocument, fonts: PdfFonts): LaidOutPage[] {
  const ts = new Typesetter(fonts);
  const letter = doc.format === 'letter';
  const bodySpacing = CHAR_PITCH_PT - BODY_PT;

  // Page 1's head: fixed items, and where the flow starts.
  const head: Placed[] = [];
  const markSize = Math.min(MARK_PT, (letter ? mm(LETTER_FORMAT.ruleLengthMm) : WIDTH) / Math.max(1, ts.width('title', doc.issuingBodyMark, 1)));
  const markWidth = ts.width('title', doc.issuingBodyMark, markSize);
  const markAt = (top: number) => head.push(...ts.place('title', doc.issuingBodyMark, markSize, LEFT + (WIDTH - markWidth) / 2, top + ASCENT * markSize, 0, RED));
  // 份号, 密级和保密期限, 紧急程度: flush left, one a line (份号 仿宋, the others 黑体).
  const marks = [
    ['body', doc.copyNumber],
    ['heading1', doc.secrecy],
    ['heading1', doc.urgency],
  ].filter((m): m is [FontRole, string] => !!m[1]);
  let flowStart: number;
  if (letter) {
    const top = mm(LETTER_FORMAT.markTopMm);
    markAt(top);
    const ruleTop = top + markSize + mm(LETTER_FORMAT.ruleGapMm);
    const { thickPt, thinPt, gapPt } = LETTER_FORMAT;
    const x1 = LEFT + WIDTH / 2 - mm(LETTER_FORMAT.ruleLengthMm) / 2;
    const x2 = x1 + mm(LETTER_FORMAT.ruleLengthMm);
    const ruleBottom = ruleTop + thickPt + gapPt + thinPt;
    head.push({ kind: 'rule', x1, x2, y: ruleTop + thickPt / 2, width: thickPt, color: RED }, { kind: 'rule', x1, x2, y: ruleBottom - thinPt / 2, width: thinPt, color: RED });
    const lowerBottom = mm(PAGE.heightMm - LETTER_FORMAT.lowerRuleFromBottomMm);
    head.push({ kind: 'rule', x1, x2, y: lowerBottom - thickPt / 2, width: thickPt, color: RED }, { kind: 'rule', x1, x2, y: lowerBottom - thickPt - gapPt - thinPt / 2, width: thinPt, color: RED });
    // The first element under the rule: its top 7/8 of a 3号 character below it.
    const firstTop = ruleBottom + SEVEN_EIGHTHS_PT;
    const numberBaseline = firstTop + ASCENT * BODY_PT;
    head.push(...ts.place('body', doc.docNumber, BODY_PT, RIGHT - ts.width('body', doc.docNumber, BODY_PT), numberBaseline));
    marks.forEach(([role, text], i) => head.push(...ts.place(role, text, BODY_PT, LEFT, numberBaseline + i * PITCH)));
    const lastTop = firstTop + Math.max(0, marks.length - 1) * PITCH;
    flowStart = lastTop + BODY_PT + (PITCH - BODY_PT) / 2 + 2 * PITCH;
  } else {
    marks.forEach(([role, text], i) => head.push(...ts.place(role, text, BODY_PT, LEFT, BLOCK_TOP + i * PITCH + baselineIn(PITCH, BODY_PT))));
    const top = BLOCK_TOP + mm(DOCUMENT_FORMAT.markBelowBlockTopMm);
    markAt(top);
    const numberTop = top + markSize + 2 * PITCH;
    const numberWidth = ts.width('body', doc.docNumber, BODY_PT);
    head.push(...ts.place('body', doc.docNumber, BODY_PT, LEFT + (WIDTH - numberWidth) / 2, numberTop + baselineIn(PITCH, BODY_PT)));
    const ruleY = numberTop + (PITCH + BODY_PT) / 2 + mm(DOCUMENT_FORMAT.numberRuleGapMm);
    head.push({ kind: 'rule', x1: LEFT, x2: RIGHT, y: ruleY, width: DOCUMENT_FORMAT.redRulePt, color: RED });
    flowStart = ruleY + 2 * PITCH;
  }

  // The flow.
  const flow: FlowLine[] = [];
  const blank = () => flow.push({ height: PITCH, items: [], blank: true });
  const textLines = (role: FontRole, text: string, size: number, pitch: number, opts: Parameters<Typesetter['lines']>[3], align: 'left' | 'center' | 'right' = 'left', rightIndent = 0) => {
    const start = flow.length;
    for (const l of ts.lines(role, text, size, opts)) {
      const w = ts.width(role, l.text, size, l.spacing);
      const x = align === 'center' ? LEFT + (WIDTH - w) / 2 : align === 'right' ? RIGHT - rightIndent - w : l.x;
      flow.push({ height: pitch, items: ts.place(role, l.text, size, x, baselineIn(pitch, size), l.spacing) });
    }
    return start;
  };
  textLines('title', doc.title, TITLE_PT, TITLE_PITCH, { width: WIDTH }, 'center');
  blank();
  textLines('body', `${doc.addressees.join('、')}：`, BODY_PT, PITCH, { width: WIDTH, spacing: bodySpacing, justify: true });
  const roleOf = (p: DocParagraph): FontRole => (p.level === 1 ? 'heading1' : p.level === 2 ? 'heading2' : 'body');
  let lastBodyLine = flow.length - 1;
  for (const p of doc.paragraphs) {
    textLines(roleOf(p), p.text, BODY_PT, PITCH, { width: WIDTH, indent: 2 * CHAR_PITCH_PT, spacing: bodySpacing, justify: true });
    lastBodyLine = flow.length - 1;
  }
  blank();
  blank();
  // 署名 centred over the 成文日期, which stands four characters from the right.
  const dateIndent = 4 * CHAR_PITCH_PT;
  const shift = Math.max(0, (ts.width('body', doc.date, BODY_PT) - ts.width('body', doc.signature, BODY_PT)) / 2);
  textLines('body', doc.signature, BODY_PT, PITCH, { width: WIDTH }, 'right', dateIndent + shift);
  textLines('body', doc.date, BODY_PT, PITCH, { width: WIDTH }, 'right', dateIndent);
  // The body's last two lines, the signature and the date stay on one page with the 版记.
  const keepFrom = Math.max(0, lastBodyLine - 1);

  // The 版记: lines and rules, y relative to its top; placed with its bottom on the block's foot.
  const record: Placed[] = [];
  let recordHeight = 0;
  const recordLines = (text: string) => {
    const hang = SMALL + ts.width('body', '抄送：', SMALL);
    for (const l of ts.lines('body', text, SMALL, { width: WIDTH - SMALL, indent: SMALL, hang, justify: true })) {
      record.push(...ts.place('body', l.text, SMALL, l.x, recordHeight + baselineIn(PITCH, SMALL), l.spacing));
      recordHeight += PITCH;
    }
  };
  const cc = doc.cc.length ? `抄送：${doc.cc.join('，')}。` : '';
  if (letter) {
    if (cc) recordLines(cc);
  } else {
    const thick = mm(DOCUMENT_FORMAT.recordThickMm);
    const thin = mm(DOCUMENT_FORMAT.recordThinMm);
    const rule = (y: number, width: number) => record.push({ kind: 'rule', x1: LEFT, x2: RIGHT, y, width, color: BLACK });
    rule(0, thick);
    if (cc) {
      recordLines(cc);
      rule(recordHeight, thin);
    }
    const printed = `${doc.printedDate}印发`;
    record.push(...ts.place('body', doc.printedBy, SMALL, LEFT + SMALL, recordHeight + baselineIn(PITCH, SMALL)));
    record.push(...ts.place('body', printed, SMALL, RIGHT - SMALL - ts.width('body', printed, SMALL), recordHeight + baselineIn(PITCH, SMALL)));
    recordHeight += PITCH;
    rule(recordHeight, thick);
  }

  // Paginate: fill pages; if the kept tail would split or leave no room for the 版记, break before it.
  const paginate = (breakBefore: number | null) => {
    const pages: { lines: { line: FlowLine; top: number; index: number }[] }[] = [{ lines: [] }];
    let y = flowStart;
    flow.forEach((line, index) => {
      const page = pages[pages.length - 1]!;
      if ((y + line.height > BLOCK_BOTTOM + 0.01 || index === breakBefore) && page.lines.length) {
        pages.push({ lines: [] });
        y = BLOCK_TOP;
        if (line.blank) return; // no blank line at a page's top
      }
      pages[pages.length - 1]!.lines.push({ line, top: y, index });
      y += line.height;
    });
    return { pages, end: y };
  };
  let { pages, end } = paginate(null);
  const fits = () => {
    const keepPage = pages.findIndex((p) => p.lines.some((l) => l.index === keepFrom));
    return keepPage === pages.length - 1 && end <= BLOCK_BOTTOM - recordHeight + 0.01;
  };
  if (!fits()) {
    // First close up: one blank line before the signature instead of two (GB/T 9704 §7.3.5.5:
    // adjust the spacing rather than leave the signature without text); else break the page
    // before the body's last two lines, which go over with the signature, the date and the 版记.
    flow.splice(lastBodyLine + 1, 1);
    ({ pages, end } = paginate(null));
    if (!fits()) {
      flow.splice(lastBodyLine + 1, 0, { height: PITCH, items: [], blank: true });
      ({ pages, end } = paginate(keepFrom));
    }
  }

  return pages.map((p, i) => {
    const items: Placed[] = i === 0 ? [...head] : [];
    for (const { line, top } of p.lines) for (const it of line.items) items.push({ ...it, y: it.y + top });
    if (i === pages.length - 1) for (const it of record) items.push({ ...it, y: it.y + BLOCK_BOTTOM - recordHeight });
    return { items, pageNumber: letter && i === 0 ? null : pageNumberText(i + 1) };
  });
}

export async function renderPdf(doc: OfficialDocument, fonts: PdfFonts): Promise<Buffer> {
  checkGlyphs(doc, fonts);
  const pages = layoutDocument(doc, fonts);
  const ts = new Typesetter(fonts);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    autoFirstPage: false,
    // Stamped with the 成文日期, not "now": the same letter renders to the same bytes.
    info: { Title: doc.title, Author: doc.signature, Subject: doc.docNumber, CreationDate: documentDate(doc), ModDate: documentDate(doc) },
  });
  const registered = new Set<string>();
  const useFont = (role: FontRole, i: number) => {
    const name = `${role}-${i}`;
    if (!registered.has(name)) {
      const f = chainOf(fonts[role])[i]!;
      pdf.registerFont(name, f.path, f.postscriptName);
      registered.add(name);
    }
    pdf.font(name);
  };
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pages.forEach((page, i) => {
    pdf.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    for (const it of page.items) {
      if (it.kind === 'rule') {
        pdf.save().strokeColor(it.color).lineWidth(it.width).moveTo(it.x1, it.y).lineTo(it.x2, it.y).stroke().restore();
      } else {
        useFont(it.role, it.font);
        pdf.fontSize(it.size).fillColor(it.color).text(it.text, it.x, it.y, { lineBreak: false, baseline: 'alphabetic', characterSpacing: it.spacing });
      }
    }
    if (page.pageNumber) {
      // 7 mm under the text block: odd pages right, even pages left, one character in.
      const y = BLOCK_BOTTOM + mm(PAGE_NUMBER_BELOW_BLOCK_MM) + ASCENT * SMALL;
      const w = ts.width('body', page.pageNumber, SMALL);
      const x = (i + 1) % 2 ? RIGHT - SMALL - w : LEFT + SMALL;
      for (const it of ts.place('body', page.pageNumber, SMALL, x, y)) {
        useFont(it.role, it.font);
        pdf.fontSize(it.size).fillColor(BLACK).text(it.text, it.x, it.y, { lineBreak: false, baseline: 'alphabetic' });
      }
    }
  });
  pdf.end();
  return done;
}
