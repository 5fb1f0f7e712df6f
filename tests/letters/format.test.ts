/**
 * GB/T 9704-2012's two layouts: the letter format (信函格式, §10.1) for 函 — 提醒函, 催办函,
 * 督办函, 约谈通知 — and the document format (文件格式) for the 通报 and notices; the 版记 at the
 * foot of the last page, never alone on a page; and the fonts: a fallback chain per character.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { composeLetter } from '../../domain/letters/compose';
import type { OfficialDocument } from '../../domain/letters/document';
import { LINE_PITCH_PT, MARGINS_MM, PAGE, PT_PER_MM } from '../../domain/letters/layout';
import { SAMPLE_FACTS, sampleHead } from '../../domain/letters/samples';
import { DEFAULT_TEMPLATES } from '../../domain/letters/templates';
import { DOC_FORMAT, LETTER_TYPES, type LetterType } from '../../domain/letters/types';
import { renderDocx } from '../../letters/docx';
import { renderHtml } from '../../letters/html';
import { layoutDocument, renderPdf, type LaidOutPage, type PlacedRule, type PlacedText } from '../../letters/pdf';
import { defaultChains, FontError, fontRuns, missingGlyphs, openFace, resolveFonts } from '../../infra/fonts';

const compose = (type: LetterType) => composeLetter(DEFAULT_TEMPLATES[type], SAMPLE_FACTS[type], sampleHead(type));
const mm = (v: number) => v * PT_PER_MM;
const near = (a: number, b: number, tol = 0.5) => Math.abs(a - b) <= tol;
const BLOCK_TOP = mm(MARGINS_MM.top);
const BLOCK_BOTTOM = mm(PAGE.heightMm - MARGINS_MM.bottom);
const LEFT = mm(MARGINS_MM.left);
const RIGHT = mm(PAGE.widthMm - MARGINS_MM.right);

const texts = (p: LaidOutPage) => p.items.filter((i): i is PlacedText => i.kind === 'text');
const rules = (p: LaidOutPage) => p.items.filter((i): i is PlacedRule => i.kind === 'rule');
/** The text of a page, runs joined in drawing order. */
const pageText = (p: LaidOutPage) => texts(p).map((t) => t.text).join('');

/** The inflated content streams of a PDF. */
function pdfStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    try {
      out.push(zlib.inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
    } catch {
      /* not a deflated stream (fonts may be) */
    }
  }
  return out;
}
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('which format', () => {
  it('函 (提醒函, 催办函, 督办函, 约谈通知, 整改工作提醒函) in the letter format; 通报 and 挂牌督办通知 in the document format', () => {
    expect(LETTER_TYPES.filter((t) => DOC_FORMAT[t] === 'letter')).toEqual(['reminder_letter', 'urging_letter', 'supervision_letter', 'summons', 'assignment_letter']);
    for (const t of LETTER_TYPES) expect(compose(t).format).toBe(DOC_FORMAT[t]);
  });
});

describe('PDF: the letter format (信函格式, GB/T 9704-2012 §10.1)', () => {
  const fonts = resolveFonts();

  it('a short 提醒函 is one page: the mark 30 mm from the top, red double rules 170 mm long, the number flush right, no page number', async () => {
    const doc = compose('reminder_letter');
    const pages = layoutDocument(doc, fonts);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.pageNumber).toBeNull();
    const mark = texts(pages[0]!).find((t) => t.text === doc.issuingBodyMark)!;
    expect(mark.color).toBe('#ff0000');
    expect(near(mark.y - 0.88 * mark.size, mm(30))).toBe(true); // its top edge
    const red = rules(pages[0]!).filter((r) => r.color === '#ff0000');
    expect(red).toHaveLength(4);
    for (const r of red) {
      expect(near(r.x2 - r.x1, mm(170))).toBe(true);
      expect(near((r.x1 + r.x2) / 2, (LEFT + RIGHT) / 2)).toBe(true); // centred on the text block
    }
    const [upperThick, upperThin, lowerThick, lowerThin] = red;
    // Under the mark: thick over thin, 4 mm below it.
    expect(upperThick!.width).toBeGreaterThan(upperThin!.width);
    expect(upperThick!.y).toBeLessThan(upperThin!.y);
    expect(near(upperThick!.y - upperThick!.width / 2, mark.y + 0.12 * mark.size + mm(4))).toBe(true);
    // At the foot: thin over thick, the thick one's lower edge 20 mm from the page bottom.
    expect(lowerThin!.y).toBeLessThan(lowerThick!.y);
    expect(lowerThick!.width).toBeGreaterThan(lowerThin!.width);
    expect(near(lowerThick!.y + lowerThick!.width / 2, mm(297 - 20))).toBe(true);
    // The number: flush with the text block's right edge, under the upper rule, above the title.
    const number = texts(pages[0]!).filter((t) => Math.abs(t.y - texts(pages[0]!).find((u) => doc.docNumber.startsWith(u.text))!.y) < 0.01);
    const end = number[number.length - 1]!;
    expect(number.map((t) => t.text).join('')).toBe(doc.docNumber);
    const face = openFace(fonts.body[end.font]!) as unknown as { glyphForCodePoint(c: number): { advanceWidth: number }; unitsPerEm: number };
    const endX = end.x + [...end.text].reduce((w, c) => w + (face.glyphForCodePoint(c.codePointAt(0)!).advanceWidth * end.size) / face.unitsPerEm, 0);
    expect(near(endX, RIGHT)).toBe(true);
    expect(end.y).toBeGreaterThan(upperThin!.y);
    // No 印发 line in a letter's 版记.
    expect(pageText(pages[0]!)).not.toContain('印发');

    const pdf = await renderPdf(doc, fonts);
    expect(pageCount(pdf)).toBe(1);
    const ops = pdfStreams(pdf).join('\n');
    expect((ops.match(/1 0 0 SCN\n[\d.]+ w\n[\d.]+ [\d.]+ m\n[\d.]+ [\d.]+ l\nS/g) ?? []).length).toBe(4); // the red rules
  });

  it('the 约谈 letter: its 版记 is 抄送 only, at the foot of the text block, without rules', () => {
    const doc = compose('summons');
    const pages = layoutDocument(doc, fonts);
    const last = pages[pages.length - 1]!;
    const cc = texts(last).filter((t) => t.size === 14 && !t.text.startsWith('—'));
    expect(cc.map((t) => t.text).join('')).toBe('抄送：市委督查室，市政府督查室。');
    expect(near(Math.max(...cc.map((t) => t.y)) + (LINE_PITCH_PT - 14) / 2 + 0.12 * 14, BLOCK_BOTTOM, 1)).toBe(true);
    expect(rules(last).filter((r) => r.color !== '#ff0000')).toHaveLength(0);
  });

  it('page 2 onwards is numbered "— 2 —"; page 1 is not', () => {
    const pages = layoutDocument(compose('urging_letter'), fonts);
    expect(pages.map((p) => p.pageNumber)).toEqual([null, '— 2 —']);
  });
});

describe('PDF: the document format (文件格式) for 通报 and notices', () => {
  const fonts = resolveFonts();
  it('the mark 35 mm into the text block, the number centred over a red rule as wide as the block, every page numbered, the 版记 between rules on the block\'s foot', () => {
    const doc = compose('bulletin');
    const pages = layoutDocument(doc, fonts);
    expect(pages.map((p) => p.pageNumber)).toEqual(['— 1 —', '— 2 —']);
    const mark = texts(pages[0]!).find((t) => t.text === doc.issuingBodyMark)!;
    expect(near(mark.y - 0.88 * mark.size, BLOCK_TOP + mm(35))).toBe(true);
    const red = rules(pages[0]!).filter((r) => r.color === '#ff0000');
    expect(red).toHaveLength(1);
    expect(near(red[0]!.x1, LEFT) && near(red[0]!.x2, RIGHT)).toBe(true);
    const numberRuns = texts(pages[0]!).filter((t) => t.y < red[0]!.y && t.y > mark.y);
    expect(numberRuns.map((t) => t.text).join('')).toBe(doc.docNumber);
    const last = pages[pages.length - 1]!;
    const black = rules(last).filter((r) => r.color !== '#ff0000');
    expect(black).toHaveLength(3); // thick, thin, thick
    expect(near(black[2]!.y, BLOCK_BOTTOM)).toBe(true);
    expect(black[0]!.width).toBeGreaterThan(black[1]!.width);
    expect(pageText(last)).toContain('2020年11月9日印发');
  });
});

describe('the 版记 is never alone on a page', () => {
  const fonts = resolveFonts();
  /** A 提醒函 (or 通报) with `n` one-line paragraphs: the tail falls at every position of a page. */
  const withLines = (type: LetterType, n: number, cc: string[]): OfficialDocument => ({
    ...compose(type),
    cc,
    paragraphs: Array.from({ length: n }, (_, i) => ({ level: 0 as const, text: `第${i + 1}段，整改事项进展情况说明。` })),
  });

  for (const [type, cc] of [
    ['reminder_letter', []],
    ['reminder_letter', ['市水利局', '市财政局']],
    ['bulletin', ['市委督查室']],
  ] as [LetterType, string[]][]) {
    it(`${type}${cc.length ? ' with 抄送' : ''}: for any length, the last page has body text, the signature, the date and the 版记, in that order`, () => {
      for (let n = 1; n <= 45; n++) {
        const doc = withLines(type, n, cc);
        const pages = layoutDocument(doc, fonts);
        const last = pages[pages.length - 1]!;
        const text = pageText(last);
        expect(text, `n=${n}`).toContain('整改事项进展情况说明');
        expect(text, `n=${n}`).toContain(doc.signature);
        expect(text, `n=${n}`).toContain(doc.date);
        const dateY = Math.max(...texts(last).filter((t) => t.size === 16).map((t) => t.y));
        const recordItems = last.items.filter((i) => (i.kind === 'text' ? i.size === 14 && !i.text.startsWith('—') : i.color !== '#ff0000'));
        if (type === 'bulletin' || cc.length) expect(recordItems.length, `n=${n}`).toBeGreaterThan(0);
        for (const i of recordItems) expect(i.y, `n=${n}`).toBeGreaterThan(dateY);
        // Nothing runs past the text block (the page numbers and a letter's lower rule aside).
        for (const p of pages) for (const t of texts(p)) if (t.size !== 14 || !t.text.startsWith('—')) expect(t.y, `n=${n}`).toBeLessThanOrEqual(BLOCK_BOTTOM);
        if (type === 'reminder_letter') expect(text).not.toContain('印发');
      }
    });
  }
});

describe('.docx: the letter format', () => {
  async function parts(type: LetterType) {
    const zip = await JSZip.loadAsync(await renderDocx(compose(type)));
    const read = (n: string) => zip.file(n)!.async('string');
    const rels = await read('word/_rels/document.xml.rels');
    const document = await read('word/document.xml');
    const target = (kind: 'header' | 'footer', type: string) => {
      const id = new RegExp(`<w:${kind}Reference w:type="${type}" r:id="(rId\\d+)"`).exec(document)?.[1];
      return id ? read(`word/${new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1]}`) : undefined;
    };
    return { document, target, fontTable: await read('word/fontTable.xml') };
  }

  it.each(['reminder_letter', 'urging_letter', 'supervision_letter', 'summons'] as const)('%s: the mark and the double rules on page 1, the number flush right, no page number on page 1', async (type) => {
    const doc = compose(type);
    const { document, target } = await parts(type);
    expect(document).toContain('<w:titlePg/>');
    expect(document).toMatch(/<w:pgMar [^>]*w:header="1701"/); // the mark's top 30 mm from the page top
    expect(document).toMatch(/<w:pgMar [^>]*w:footer="1134"/); // the lower rule 20 mm from the foot
    const header = (await target('header', 'first'))!;
    expect(header).toContain(`<w:t xml:space="preserve">${doc.issuingBodyMark}</w:t>`);
    expect(header).toMatch(/<w:color w:val="FF0000"\/>/);
    // Thick over thin, red, 170 mm: 7 mm out on both sides of the 156 mm block.
    expect(header).toMatch(/<w:top w:val="single" w:color="FF0000" w:sz="18"[^>]*\/><w:bottom w:val="single" w:color="FF0000" w:sz="6"/);
    expect(header).toContain('<w:ind w:left="-397" w:right="-397"/>');
    const firstFooter = (await target('footer', 'first'))!;
    expect(firstFooter).not.toContain('PAGE');
    expect(firstFooter).toMatch(/<w:top w:val="single" w:color="FF0000" w:sz="6"[^>]*\/><w:bottom w:val="single" w:color="FF0000" w:sz="18"/);
    expect(await target('footer', 'default')).toContain('PAGE');
    // The number: the first paragraph of the body, right-aligned.
    expect(document).toMatch(new RegExp(`<w:body><w:p><w:pPr>(?:(?!</w:pPr>).)*<w:jc w:val="right"/></w:pPr>.*?${doc.docNumber}`));
    expect(document).not.toContain('印发');
    expect(document).not.toMatch(/w:type="page"|pageBreakBefore/);
    // Signature and date keep with the body's end and the 版记.
    expect(document).toMatch(new RegExp(`<w:keepNext/>(?:(?!</w:p>).)*${doc.signature}`));
  });

  it('the 版记 of a letter: 抄送 in a frame at the foot of the text block, not after a page break', async () => {
    const { document } = await parts('summons');
    expect(document).toMatch(/<w:framePr [^>]*w:vAnchor="margin"[^>]*w:yAlign="bottom"[^>]*\/>(?:(?!<\/w:p>).)*抄送：市委督查室，市政府督查室。/);
  });

  it('the document format: the number centred over a red rule, page numbers from page 1, the 版记 floating at the foot with 印发', async () => {
    const doc = compose('bulletin');
    const { document, target } = await parts('bulletin');
    expect(document).not.toContain('<w:titlePg/>');
    expect(document).toMatch(new RegExp(`<w:pBdr><w:bottom w:val="single" w:color="FF0000" w:sz="8" w:space="11"/></w:pBdr>(?:(?!</w:pPr>).)*<w:jc w:val="center"/></w:pPr>.*?${doc.docNumber}`));
    expect(await target('footer', 'default')).toContain('PAGE');
    expect(document).toMatch(/<w:tblpPr [^>]*w:tblpYSpec="bottom"[^>]*w:vertAnchor="margin"\/>.*抄送：.*白城市脱贫攻坚领导小组办公室.*2020年11月9日印发/);
    expect(document).not.toMatch(/w:type="page"|pageBreakBefore/);
  });

  it('names 仿宋_GB2312 (eastAsia too) and tells Word which face to use where it is missing', async () => {
    const { document, fontTable } = await parts('reminder_letter');
    expect(document).toMatch(/<w:rFonts w:ascii="仿宋_GB2312" w:cs="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/);
    expect(fontTable).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
  });

  it('HTML: the letter format has its double rules, the document format its red rule and 印发 line', () => {
    const letter = renderHtml(compose('reminder_letter'));
    expect(letter).toContain('class="page letter"');
    expect(letter).toContain('class="double upper"');
    expect(letter).toContain('class="double lower"');
    expect(letter).not.toContain('印发');
    const bulletin = renderHtml(compose('bulletin'));
    expect(bulletin).toContain('class="page document"');
    expect(bulletin).toContain('2020年11月9日印发');
  });
});

describe('fonts: a fallback chain per character', () => {
  const fonts = resolveFonts();
  // The Fandol fonts are provisioned by scripts/ensure-installed.sh (CI runs it): their absence is a failure, not a skip.
  it('the Fandol fonts are provisioned', () => {
    expect(fs.existsSync(defaultChains().body[0]!.path), `${defaultChains().body[0]!.path} missing: run scripts/provision-fonts.sh`).toBe(true);
  });

  it('the body is FandolFang (仿宋), the title FandolSong Bold, headings FandolHei and FandolKai; Debian fonts follow', () => {
    expect(fonts.body.map((f) => openFace(f).postscriptName).slice(0, 2)).toEqual(['FandolFang-Regular', 'UMingCN']);
    expect(openFace(fonts.title[0]!).postscriptName).toBe('FandolSong-Bold');
    expect(openFace(fonts.heading1[0]!).postscriptName).toBe('FandolHei-Regular');
    expect(openFace(fonts.heading2[0]!).postscriptName).toBe('FandolKai-Regular');
  });

  it('a rare character of a name that FandolFang lacks prints from the next font of the chain', async () => {
    const name = '张喆堃𠀾';
    expect(missingGlyphs(fonts.body[0]!, name)).toEqual(['喆', '堃', '𠀾']); // not in GB2312
    expect(missingGlyphs(fonts.body, name)).toEqual([]);
    expect(fontRuns(fonts.body, name)).toEqual([
      { font: 0, text: '张' },
      { font: 1, text: '喆堃𠀾' },
    ]);
    const doc = { ...compose('reminder_letter'), addressees: [`${name}同志`], paragraphs: [{ level: 0 as const, text: '请龑玥、嫚同志于期限内整改。' }] };
    const pdf = await renderPdf(doc, fonts);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+FandolFang-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+UMingCN/); // the fallback, embedded for those characters only
    const runs = layoutDocument(doc, fonts).flatMap(texts).filter((t) => t.role === 'body');
    expect(runs.filter((t) => t.font === 1).map((t) => t.text).join('')).toBe('喆堃𠀾龑玥嫚');
  });

  it('a character no font of the chain has is refused, naming it', async () => {
    const rare = '\u{30000}'; // CJK Extension G: in none of the fonts
    expect(missingGlyphs(fonts.body, `王${rare}`)).toEqual([rare]);
    expect(() => fontRuns(fonts.body, rare)).toThrow(FontError);
    const doc = { ...compose('reminder_letter'), addressees: [`王${rare}同志`] };
    await expect(renderPdf(doc, fonts)).rejects.toThrow(new RegExp(`body fonts? .* cannot draw ${rare}`, 'u'));
  });

  it('RECTIFY_FONT_<ROLE> comes first in its chain; the free fonts stay as fallbacks', () => {
    const uming = '/usr/share/fonts/truetype/arphic/ukai.ttc#UKaiCN';
    const set = resolveFonts({ ...process.env, RECTIFY_FONT_BODY: uming });
    expect(set.body[0]).toEqual({ path: '/usr/share/fonts/truetype/arphic/ukai.ttc', postscriptName: 'UKaiCN' });
    expect(set.body.length).toBeGreaterThan(1);
  });

  it('renders the same PDF bytes twice', async () => {
    const doc = compose('summons');
    expect((await renderPdf(doc, fonts)).equals(await renderPdf(doc, fonts))).toBe(true);
  });
});
