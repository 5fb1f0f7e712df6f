/**
 * An official document as .docx, laid out by GB/T 9704-2012 (domain/letters/layout.ts): A4,
 * 37/35/28/26 mm margins, a document grid of 22 lines × 28 characters, the title in 2号 小标宋,
 * the body in 3号 仿宋 with two-character first-line indents, headings in 黑体 and 楷体, the
 * signature centred over the date four characters from the right — in either format:
 *   - 信函格式 (函, §10.1): page 1 has its own header and footer (titlePg): the header holds the
 *     red mark, its top 30 mm from the page top (the header distance), over a red double rule
 *     (thick over thin) 170 mm long; the first-page footer holds the red double rule (thin over
 *     thick) 20 mm from the page foot and no page number. The 发文字号 stands flush right under
 *     the rule, the title two lines lower. The 版记 is 抄送 only, without rules or 印发.
 *   - 文件格式 (通报, notices, §7): the red mark 35 mm into the text block, the 发文字号 centred
 *     two lines under it, a red rule 4 mm under the number as wide as the text block; the 版记
 *     (抄送, 印发机关 and 印发日期) between rules.
 * The 版记 floats at the bottom of the text block (a frame; a table for the ruled one), so Word
 * and WPS set it at the foot of the last page; the body's last paragraph, the signature and the date keep with it
 * (keepNext), so it never stands alone on a page. Page numbers "— 1 —" right on odd pages, left
 * on even ones (not on page 1 of a letter).
 *
 * Fonts are named, as Word expects (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, eastAsia
 * included), not embedded; the font table gives each an alternative (仿宋, 宋体, 楷体) Word uses
 * where the _GB2312 face is not installed, and Word's own font fallback draws a character the
 * named font lacks (a rare character in a name). The PDF, which must embed, does this per
 * character itself (infra/fonts.ts).
 */
import JSZip from 'jszip';
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  FrameAnchorType,
  FrameWrap,
  Header,
  HorizontalPositionAlign,
  LineRuleType,
  Packer,
  PageNumber,
  OverlapType,
  Paragraph,
  RelativeHorizontalPosition,
  RelativeVerticalPosition,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalPositionAlign,
  WidthType,
  type IParagraphOptions,
} from 'docx';
import type { DocParagraph, OfficialDocument } from '../domain/letters/document';
import {
  BODY_PT,
  CHAR_PITCH_PT,
  DOCUMENT_FORMAT,
  FONTS,
  LETTER_FORMAT,
  LINE_PITCH_PT,
  MARGINS_MM,
  MARK_PT,
  mmToTwips,
  PAGE,
  PAGE_NUMBER_BELOW_BLOCK_MM,
  PAGE_NUMBER_PT,
  ptToTwips,
  SEVEN_EIGHTHS_PT,
  TEXT_BLOCK_MM,
  TITLE_PT,
} from '../domain/letters/layout';

const RED = 'FF0000';
const LINE = Math.floor(LINE_PITCH_PT * 20); // exact line pitch in twips: 22 lines fit the block
const CHAR = ptToTwips(BODY_PT); // one character of body text
const SMALL = PAGE_NUMBER_PT; // 4号: the 版记 and page numbers
const TEXT_WIDTH = mmToTwips(TEXT_BLOCK_MM.width);
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });
const run = (text: string, opts: { font?: string; pt?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({ text, font: font(opts.font ?? FONTS.body), size: (opts.pt ?? BODY_PT) * 2, bold: opts.bold, color: opts.color });
const exact = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };
const blank = (keepNext = false) => new Paragraph({ spacing: exact, keepNext: keepNext || undefined, children: [run('')] });
/** Border widths are in eighths of a point. */
const eighths = (pt: number) => Math.round(pt * 8);
const rule = (pt: number, color = '000000') => ({ style: BorderStyle.SINGLE, size: eighths(pt), color, space: 0 });

/** Width in characters, counting digits and Latin letters as half (as 仿宋 sets them). */
const widthChars = (s: string) => [...s].reduce((w, c) => w + (/[\x20-\x7e]/.test(c) ? 0.5 : 1), 0);

/** The mark: 小标宋, red, centred; shrunk to fit when a long name would overflow the width. */
function markParagraph(doc: OfficialDocument, width: number, opts: IParagraphOptions = {}): Paragraph {
  const pt = Math.min(MARK_PT, Math.floor(width / 20 / Math.max(1, widthChars(doc.issuingBodyMark))));
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    ...opts,
    spacing: { line: ptToTwips(pt), lineRule: LineRuleType.EXACT, before: 0, after: 0, ...opts.spacing },
    children: [run(doc.issuingBodyMark, { font: FONTS.title, pt, color: RED })],
  });
}

/** A red double rule 170 mm long, centred on the text block: `upper` thick over thin, else thin over thick. */
function doubleRule(upper: boolean, opts: IParagraphOptions = {}): Paragraph {
  const out = -mmToTwips((LETTER_FORMAT.ruleLengthMm - TEXT_BLOCK_MM.width) / 2);
  const thick = rule(LETTER_FORMAT.thickPt, RED);
  const thin = rule(LETTER_FORMAT.thinPt, RED);
  return new Paragraph({
    ...opts,
    indent: { left: out, right: out },
    spacing: { line: ptToTwips(LETTER_FORMAT.gapPt), lineRule: LineRuleType.EXACT, before: 0, after: 0, ...opts.spacing },
    border: upper ? { top: thick, bottom: thin } : { top: thin, bottom: thick },
    children: [new TextRun({ text: '', size: 2 })],
  });
}

function bodyParagraph(p: DocParagraph, keepNext: boolean): Paragraph {
  const fontName = p.level === 1 ? FONTS.heading1 : p.level === 2 ? FONTS.heading2 : FONTS.body;
  return new Paragraph({ spacing: exact, keepNext: keepNext || undefined, indent: { firstLine: 2 * CHAR }, alignment: AlignmentType.JUSTIFIED, children: [run(p.text, { font: fontName })] });
}

function pageNumberFooter(side: 'odd' | 'even', after: number): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { before: 0, after },
        indent: side === 'odd' ? { right: ptToTwips(PAGE_NUMBER_PT) } : { left: ptToTwips(PAGE_NUMBER_PT) },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.pageNumber), size: PAGE_NUMBER_PT * 2 })],
      }),
    ],
  });
}

/** The 版记 sits in a frame at the bottom of the text block of the page it falls on: the last. */
const recordFrame = {
  type: 'alignment' as const,
  alignment: { x: HorizontalPositionAlign.CENTER, y: VerticalPositionAlign.BOTTOM },
  anchor: { horizontal: FrameAnchorType.MARGIN, vertical: FrameAnchorType.MARGIN },
  width: TEXT_WIDTH,
  wrap: FrameWrap.NOT_BESIDE,
};

/**
 * The 版记 at the foot of the last page. A letter's (抄送 only, no rules) is a frame anchored to
 * the bottom of the text block. The document format's has rules — thick above, thin between,
 * thick on the text block's bottom edge — so it is a table floating at the bottom of the text
 * block (rules as its borders: paragraph borders in a frame are not kept by every reader),
 * anchored to a hairline paragraph after it.
 */
function record(doc: OfficialDocument, letter: boolean): (Paragraph | Table)[] {
  const small = ptToTwips(SMALL);
  const ccText = doc.cc.length ? `抄送：${doc.cc.join('，')}。` : '';
  // 回行时与冒号后的首字对齐: a hanging indent of "抄送：".
  const ccIndent = { left: small + 3 * small, hanging: 3 * small, right: small };
  if (letter) return ccText ? [new Paragraph({ frame: recordFrame, spacing: exact, indent: ccIndent, children: [run(ccText, { pt: SMALL })] })] : [];
  const thick = { style: BorderStyle.SINGLE, size: eighths((DOCUMENT_FORMAT.recordThickMm * 72) / 25.4), color: '000000' };
  const thin = { style: BorderStyle.SINGLE, size: eighths((DOCUMENT_FORMAT.recordThinMm * 72) / 25.4), color: '000000' };
  const none = { style: BorderStyle.NONE, size: 0, color: 'auto' };
  const cell = (children: Paragraph[]) => new TableCell({ children, margins: { left: 0, right: 0, top: 0, bottom: 0 } });
  const rows: TableRow[] = [];
  if (ccText) rows.push(new TableRow({ cantSplit: true, children: [cell([new Paragraph({ spacing: exact, indent: ccIndent, children: [run(ccText, { pt: SMALL })] })])] }));
  rows.push(
    new TableRow({
      cantSplit: true,
      children: [
        cell([
          new Paragraph({
            spacing: exact,
            indent: { left: small, right: small },
            // 印发机关 one character in from the left, 印发日期 one character in from the right.
            tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - small - 20 }],
            children: [run(doc.printedBy, { pt: SMALL }), run(`\t${doc.printedDate}印发`, { pt: SMALL })],
          }),
        ]),
      ],
    }),
  );
  return [
    new Table({
      rows,
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [TEXT_WIDTH],
      layout: TableLayoutType.FIXED,
      float: {
        horizontalAnchor: TableAnchorType.MARGIN,
        verticalAnchor: TableAnchorType.MARGIN,
        relativeHorizontalPosition: RelativeHorizontalPosition.CENTER,
        relativeVerticalPosition: RelativeVerticalPosition.BOTTOM,
        overlap: OverlapType.NEVER,
      },
      borders: { top: thick, bottom: thick, insideHorizontal: thin, left: none, right: none, insideVertical: none },
    }),
    // The table's anchor: a hairline paragraph, so it fits under the date on a full page.
    new Paragraph({ spacing: { line: 2, lineRule: LineRuleType.EXACT, before: 0, after: 0 }, children: [new TextRun({ text: '', size: 2 })] }),
  ];
}

/** 份号, 密级和保密期限, 紧急程度 (仿宋 for the number, 黑体 for the others), top left. */
const topLeftMarks = (doc: OfficialDocument) =>
  [
    [doc.copyNumber, FONTS.body],
    [doc.secrecy, FONTS.heading1],
    [doc.urgency, FONTS.heading1],
  ].filter((m): m is [string, string] => !!m[0]);

export function docxDocument(doc: OfficialDocument): Document {
  const letter = doc.format === 'letter';
  const dateIndent = 4 * CHAR;
  const signatureIndent = dateIndent + Math.max(0, ((widthChars(doc.date) - widthChars(doc.signature)) / 2) * CHAR);
  const marks = topLeftMarks(doc);
  const children: (Paragraph | Table)[] = [];
  if (letter) {
    // Under the upper rule (in the first-page header): 份号… flush left and the 发文字号 flush
    // right on the first line, 7/8 of a 3号 character down.
    const first = marks[0];
    children.push(
      new Paragraph({
        spacing: { ...exact, before: ptToTwips(SEVEN_EIGHTHS_PT - (LINE_PITCH_PT - BODY_PT) / 2) },
        alignment: first ? AlignmentType.LEFT : AlignmentType.RIGHT,
        tabStops: first ? [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }] : [],
        children: first ? [run(first[0], { font: first[1] }), run(`\t${doc.docNumber}`)] : [run(doc.docNumber)],
      }),
      ...marks.slice(1).map(([text, f]) => new Paragraph({ spacing: exact, children: [run(text, { font: f })] })),
      blank(),
      blank(),
    );
  } else {
    children.push(...marks.map(([text, f]) => new Paragraph({ spacing: exact, children: [run(text, { font: f })] })));
    children.push(
      markParagraph(doc, TEXT_WIDTH, { spacing: { before: Math.max(0, mmToTwips(DOCUMENT_FORMAT.markBelowBlockTopMm) - marks.length * LINE) } }),
      // 发文字号 two lines under the mark, centred, over the red rule 4 mm down.
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { ...exact, before: 2 * LINE },
        border: { bottom: { style: BorderStyle.SINGLE, size: eighths(DOCUMENT_FORMAT.redRulePt), color: RED, space: Math.round((DOCUMENT_FORMAT.numberRuleGapMm * 72) / 25.4) } },
        children: [run(doc.docNumber)],
      }),
      blank(),
      blank(),
    );
  }
  const last = doc.paragraphs.length - 1;
  children.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { line: Math.round(TITLE_PT * 1.6 * 20), lineRule: LineRuleType.EXACT }, children: [run(doc.title, { font: FONTS.title, pt: TITLE_PT })] }),
    blank(),
    new Paragraph({ spacing: exact, keepNext: last < 0 || undefined, children: [run(`${doc.addressees.join('、')}：`)] }),
    ...doc.paragraphs.map((p, i) => bodyParagraph(p, i === last)),
    blank(true),
    blank(true),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, keepNext: true, indent: { right: Math.round(signatureIndent) }, children: [run(doc.signature)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exact, keepNext: true, indent: { right: dateIndent }, children: [run(doc.date)] }),
    ...record(doc, letter),
  );

  // Page numbers: the dash line 7 mm under the text block. The footer distance is measured from
  // the page's foot to the footer's last line; a letter's is 20 mm (its lower double rule).
  const numberBottomMm = MARGINS_MM.bottom - PAGE_NUMBER_BELOW_BLOCK_MM - (PAGE_NUMBER_PT / 72) * 25.4;
  const footerMm = letter ? LETTER_FORMAT.lowerRuleFromBottomMm : numberBottomMm;
  const numbers = { default: pageNumberFooter('odd', mmToTwips(numberBottomMm - footerMm)), even: pageNumberFooter('even', mmToTwips(numberBottomMm - footerMm)) };
  return new Document({
    creator: doc.signature,
    title: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: font(FONTS.body), size: BODY_PT * 2 } } } },
    sections: [
      {
        properties: {
          titlePage: letter,
          page: {
            size: { width: mmToTwips(PAGE.widthMm), height: mmToTwips(PAGE.heightMm) },
            margin: {
              top: mmToTwips(MARGINS_MM.top),
              bottom: mmToTwips(MARGINS_MM.bottom),
              left: mmToTwips(MARGINS_MM.left),
              right: mmToTwips(MARGINS_MM.right),
              footer: mmToTwips(footerMm),
              // A letter's mark: its top edge 30 mm from the page top.
              header: mmToTwips(letter ? LETTER_FORMAT.markTopMm : 15),
            },
          },
          // 22 lines of 28 characters: the grid's character pitch is the body size plus charSpace/4096 pt.
          grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE, charSpace: Math.round((CHAR_PITCH_PT - BODY_PT) * 4096) },
        },
        ...(letter
          ? {
              headers: { first: new Header({ children: [markParagraph(doc, mmToTwips(LETTER_FORMAT.ruleLengthMm), { spacing: { after: mmToTwips(LETTER_FORMAT.ruleGapMm) } }), doubleRule(true)] }) },
              footers: { ...numbers, first: new Footer({ children: [doubleRule(false)] }) },
            }
          : { footers: numbers }),
        children,
      },
    ],
  });
}

/**
 * The fonts the document names, with the faces Word substitutes where one is missing
 * (w:altName): a machine without 仿宋_GB2312 sets the body in 仿宋, not in a default serif.
 */
const FONT_TABLE = [
  [FONTS.body, '仿宋', 'modern'],
  [FONTS.title, '宋体', 'roman'],
  [FONTS.heading1, 'SimHei', 'modern'],
  [FONTS.heading2, '楷体', 'modern'],
  [FONTS.pageNumber, 'SimSun', 'auto'],
]
  .map(([name, alt, family]) => `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="variable"/></w:font>`)
  .join('');

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
    if (name === 'word/fontTable.xml') {
      const xml = Buffer.from(content).toString('utf8');
      content = /<w:fonts[^>]*\/>\s*$/.test(xml) ? xml.replace(/<w:fonts([^>]*?)\s*\/>\s*$/, `<w:fonts$1>${FONT_TABLE}</w:fonts>`) : xml.replace('</w:fonts>', `${FONT_TABLE}</w:fonts>`);
    }
    out.file(name, content, { date: at, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}
