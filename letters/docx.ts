/**
 * An official document as .docx, laid out by GB/T 9704-2012 (domain/letters/layout.ts): A4,
 * 37/35/28/26 mm margins, a document grid of 22 lines × 28 characters, the issuing body's mark
 * in red over a red 武文线 (thick over thin), the document number under it on the right, the
 * title in 2号 小标宋, the body in 3号 仿宋 with two-character first-line indents, headings in
 * 黑体 and 楷体, signature centred over the date four characters from the right, the 版记 (抄送,
 * 印发) between rules, and page numbers "— 1 —" right on odd pages, left on even ones.
 */
import JSZip from 'jszip';
import { AlignmentType, BorderStyle, Document, DocumentGridType, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { DocParagraph, OfficialDocument } from '../domain/letters/document';
import { BODY_PT, CHAR_PITCH_PT, FONTS, LINE_PITCH_PT, MARGINS_MM, mmToTwips, PAGE, PAGE_NUMBER_PT, ptToTwips, TITLE_PT } from '../domain/letters/layout';

const RED = 'FF0000';
const LINE = Math.floor(LINE_PITCH_PT * 20); // exact line pitch in twips: 22 lines fit the block
const CHAR = ptToTwips(BODY_PT); // one character of body text
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });
const run = (text: string, opts: { font?: string; pt?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({ text, font: font(opts.font ?? FONTS.body), size: (opts.pt ?? BODY_PT) * 2, bold: opts.bold, color: opts.color });
const exact = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const blank = () => new Paragraph({ spacing: exact, children: [run('')] });

/** Width in characters, counting digits and Latin letters as half (as 仿宋 sets them). */
const widthChars = (s: string) => [...s].reduce((w, c) => w + (/[\x20-\x7e]/.test(c) ? 0.5 : 1), 0);

function bodyParagraph(p: DocParagraph): Paragraph {
  const fontName = p.level === 1 ? FONTS.heading1 : p.level === 2 ? FONTS.heading2 : FONTS.body;
  return new Paragraph({ spacing: exact, indent: { firstLine: 2 * CHAR }, alignment: AlignmentType.JUSTIFIED, children: [run(p.text, { font: fontName })] });
}

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: ptToTwips(PAGE_NUMBER_PT) } : { left: ptToTwips(PAGE_NUMBER_PT) },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.pageNumber), size: PAGE_NUMBER_PT * 2 })],
      }),
    ],
  });
}

export function docxDocument(doc: OfficialDocument): Document {
  const dateIndent = 4 * CHAR;
  const signatureIndent = dateIndent + Math.max(0, ((widthChars(doc.date) - widthChars(doc.signature)) / 2) * CHAR);
  const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: '000000', space: 1 });
  const children: Paragraph[] = [
    // 发文机关标志 over the red 武文线.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 0, after: 0 },
      border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: RED, space: 4 } },
      children: [run(doc.issuingBodyMark, { font: FONTS.title, pt: 26, color: RED })],
    }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, children: [run(doc.docNumber)] }),
    blank(),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: Math.round(TITLE_PT * 1.6 * 20), lineRule: LineRuleType.EXACT }, children: [run(doc.title, { font: FONTS.title, pt: TITLE_PT })] }),
    blank(),
    new Paragraph({ spacing: exact, children: [run(`${doc.addressees.join('、')}：`)] }),
    ...doc.paragraphs.map(bodyParagraph),
    blank(),
    blank(),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, indent: { right: Math.round(signatureIndent) }, children: [run(doc.signature)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, indent: { right: dateIndent }, children: [run(doc.date)] }),
    blank(),
  ];
  // 版记: 抄送 and 印发, 4号 仿宋, one character in, between rules (thick first and last).
  const small = PAGE_NUMBER_PT;
  if (doc.cc.length) {
    children.push(
      new Paragraph({
        spacing: exact,
        indent: { left: ptToTwips(small), right: ptToTwips(small) },
        border: { top: rule(8) },
        children: [run(`抄送：${doc.cc.join('，')}。`, { pt: small })],
      }),
    );
  }
  children.push(
    new Paragraph({
      spacing: exact,
      indent: { left: ptToTwips(small), right: ptToTwips(small) },
      border: { top: rule(doc.cc.length ? 4 : 8), bottom: rule(8) },
      tabStops: [],
      children: [run(`${doc.printedBy}`, { pt: small }), run(`        ${doc.printedDate}印发`, { pt: small })],
    }),
  );

  return new Document({
    creator: doc.signature,
    title: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: font(FONTS.body), size: BODY_PT * 2 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: mmToTwips(PAGE.widthMm), height: mmToTwips(PAGE.heightMm) },
            margin: {
              top: mmToTwips(MARGINS_MM.top),
              bottom: mmToTwips(MARGINS_MM.bottom),
              left: mmToTwips(MARGINS_MM.left),
              right: mmToTwips(MARGINS_MM.right),
              // The page number's dash line sits 7 mm below the text block.
              footer: mmToTwips(MARGINS_MM.bottom - 7 - 5),
              header: mmToTwips(15),
            },
          },
          // 22 lines of 28 characters: the grid's character pitch is the body size plus charSpace/4096 pt.
          grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE, charSpace: Math.round((CHAR_PITCH_PT - BODY_PT) * 4096) },
        },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children,
      },
    ],
  });
}

/**
 * The .docx bytes. Deterministic: the same document gives the same bytes, whenever it is made
 * (a letter can be regenerated byte-for-byte from its template version and facts). The package
 * stamps "now" into docProps/core.xml and every zip entry; both are set to the 成文日期 instead.
 */
export async function renderDocx(doc: OfficialDocument): Promise<Buffer> {
  const raw = await Packer.toBuffer(docxDocument(doc));
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(doc.date);
  const at = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(Date.UTC(2000, 0, 1));
  const zip = await JSZip.loadAsync(raw);
  const out = new JSZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    let content: string | Uint8Array = await entry.async('uint8array');
    if (name === 'docProps/core.xml') {
      content = Buffer.from(content)
        .toString('utf8')
        .replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    }
    out.file(name, content, { date: at, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}
