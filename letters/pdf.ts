/**
 * An official document as PDF for printing and preview, with the same GB/T 9704 measures as the
 * .docx: A4, the 156 × 225 mm text block, 22 lines of 28 characters in 3号, the red mark and
 * 武文线, page numbers "— n —" right on odd pages and left on even ones. The fonts are embedded
 * (infra/fonts.ts); before drawing, every character is checked against its font, so a missing
 * glyph is an error naming the characters — never an empty box on paper.
 */
import PDFDocument from 'pdfkit';
import type { OfficialDocument } from '../domain/letters/document';
import { BODY_PT, CHAR_PITCH_PT, LINE_PITCH_PT, MARGINS_MM, PAGE_NUMBER_PT, PT_PER_MM, TEXT_BLOCK_MM, TITLE_PT } from '../domain/letters/layout';
import { FontError, missingGlyphs, type FontRole, type FontSet } from '../infra/fonts';

const mm = (v: number) => v * PT_PER_MM;
const RED = '#ff0000';

/** Per font role, the characters of `doc` that role's font cannot draw (empty when all can). */
export function missingGlyphsByRole(doc: OfficialDocument, fonts: FontSet): [FontRole, string[]][] {
  const uses: [FontRole, string][] = [
    ['title', doc.issuingBodyMark + doc.title],
    ['body', [doc.docNumber, doc.addressees.join('、'), '：', doc.signature, doc.date, '抄送，。印发— 0123456789', doc.cc.join('，'), doc.printedBy, doc.printedDate, ...doc.paragraphs.filter((p) => p.level === 0 || p.level === 3).map((p) => p.text)].join('')],
    ['heading1', doc.paragraphs.filter((p) => p.level === 1).map((p) => p.text).join('')],
    ['heading2', doc.paragraphs.filter((p) => p.level === 2).map((p) => p.text).join('')],
  ];
  return uses.map(([role, text]) => [role, missingGlyphs(fonts[role], text)] as [FontRole, string[]]).filter(([, chars]) => chars.length);
}

function checkGlyphs(doc: OfficialDocument, fonts: FontSet): void {
  const problems = missingGlyphsByRole(doc, fonts)
    .map(([role, chars]) => `${role} font ${fonts[role].path}${fonts[role].postscriptName ? `#${fonts[role].postscriptName}` : ''} cannot draw ${chars.slice(0, 20).join('')}`);
  if (problems.length) throw new FontError(`the PDF would print empty boxes: ${problems.join('; ')}`);
}

function documentDate(doc: OfficialDocument): Date {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(doc.date);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(Date.UTC(2000, 0, 1));
}

export async function renderPdf(doc: OfficialDocument, fonts: FontSet): Promise<Buffer> {
  checkGlyphs(doc, fonts);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: mm(MARGINS_MM.top), bottom: mm(MARGINS_MM.bottom), left: mm(MARGINS_MM.left), right: mm(MARGINS_MM.right) },
    bufferPages: true,
    // Stamped with the 成文日期, not "now": the same letter renders to the same bytes.
    info: { Title: doc.title, Author: doc.signature, Subject: doc.docNumber, CreationDate: documentDate(doc), ModDate: documentDate(doc) },
  });
  for (const role of Object.keys(fonts) as FontRole[]) pdf.registerFont(role, fonts[role].path, fonts[role].postscriptName);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  const left = mm(MARGINS_MM.left);
  const width = mm(TEXT_BLOCK_MM.width);
  const char = CHAR_PITCH_PT;
  /** Text at the official line pitch: the font's own line height topped up to 28.99 pt. */
  const write = (role: FontRole, size: number, text: string, opts: PDFKit.Mixins.TextOptions = {}, pitch = LINE_PITCH_PT) => {
    pdf.font(role).fontSize(size);
    pdf.text(text, left, undefined, { width, lineGap: Math.max(0, pitch - pdf.currentLineHeight(true)), characterSpacing: size === BODY_PT ? char - BODY_PT : 0, ...opts });
  };
  const blankLine = () => {
    pdf.y += LINE_PITCH_PT;
  };

  // 发文机关标志 and the red 武文线 (thick over thin).
  pdf.fillColor(RED);
  write('title', 26, doc.issuingBodyMark, { align: 'center' }, 40);
  const y = pdf.y + 4;
  pdf.save().strokeColor(RED).lineWidth(2).moveTo(left, y).lineTo(left + width, y).stroke().lineWidth(0.6).moveTo(left, y + 3).lineTo(left + width, y + 3).stroke().restore();
  pdf.y = y + 8;
  pdf.fillColor('black');
  write('body', BODY_PT, doc.docNumber, { align: 'right' });
  blankLine();
  write('title', TITLE_PT, doc.title, { align: 'center' }, TITLE_PT * 1.6);
  blankLine();
  write('body', BODY_PT, `${doc.addressees.join('、')}：`);
  for (const p of doc.paragraphs) {
    const role: FontRole = p.level === 1 ? 'heading1' : p.level === 2 ? 'heading2' : 'body';
    write(role, BODY_PT, p.text, { indent: 2 * char, align: 'justify' });
  }
  blankLine();
  blankLine();
  // 署名 centred over the 成文日期, which stands four characters from the right.
  pdf.font('body').fontSize(BODY_PT);
  const signatureShift = Math.max(0, (pdf.widthOfString(doc.date) - pdf.widthOfString(doc.signature)) / 2);
  write('body', BODY_PT, doc.signature, { align: 'right', width: width - 4 * char - signatureShift });
  write('body', BODY_PT, doc.date, { align: 'right', width: width - 4 * char });
  blankLine();
  // 版记 between rules.
  const rule = (w: number) => {
    pdf.save().lineWidth(w).moveTo(left, pdf.y).lineTo(left + width, pdf.y).stroke().restore();
  };
  rule(1);
  if (doc.cc.length) {
    pdf.y += 4;
    write('body', PAGE_NUMBER_PT, `抄送：${doc.cc.join('，')}。`, { indent: PAGE_NUMBER_PT });
    rule(0.5);
  }
  pdf.y += 4;
  write('body', PAGE_NUMBER_PT, `${doc.printedBy}　　${doc.printedDate}印发`, { indent: PAGE_NUMBER_PT });
  rule(1);

  // Page numbers, 7 mm under the text block: odd pages right, even pages left, one character in.
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const n = i - range.start + 1;
    const bottomMargin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // drawing in the margin must not start a new page
    pdf.font('body').fontSize(PAGE_NUMBER_PT).fillColor('black');
    pdf.text(`— ${n} —`, left + (n % 2 ? 0 : PAGE_NUMBER_PT), pdf.page.height - bottomMargin + mm(7), { width: width - PAGE_NUMBER_PT, align: n % 2 ? 'right' : 'left', lineBreak: false });
    pdf.page.margins.bottom = bottomMargin;
  }
  pdf.end();
  return done;
}
