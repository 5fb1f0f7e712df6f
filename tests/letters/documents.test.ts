/**
 * Letters as documents: every type composed from its default template and sample facts, laid
 * out as .docx by GB/T 9704, opened again as a zip and checked where Word and WPS read it.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { composeLetter, TemplateError } from '../../domain/letters/compose';
import { SAMPLE_FACTS, sampleHead } from '../../domain/letters/samples';
import { DEFAULT_TEMPLATES } from '../../domain/letters/templates';
import { LETTER_TYPES } from '../../domain/letters/types';
import { renderDocx } from '../../letters/docx';
import { renderHtml } from '../../letters/html';
import { renderPdf } from '../../letters/pdf';
import { FontError, openFace, resolveFonts } from '../../infra/fonts';

const compose = (type: (typeof LETTER_TYPES)[number]) => composeLetter(DEFAULT_TEMPLATES[type], SAMPLE_FACTS[type], sampleHead(type));

async function unzip(buf: Buffer) {
  const zip = await JSZip.loadAsync(buf);
  const text = (name: string) => zip.file(name)!.async('string');
  return { zip, text, document: await text('word/document.xml') };
}

describe('letters as .docx (GB/T 9704-2012)', () => {
  it.each(LETTER_TYPES)('%s: A4, 37/35/28/26 mm margins, 22 lines of 28 characters, 仿宋 body, 小标宋 title, its document number', async (type) => {
    const doc = compose(type);
    const { document, text, zip } = await unzip(await renderDocx(doc));
    // A4 in twips, margins in twips (1 mm = 56.7 twips).
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(document).toMatch(/<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-8\d\d"\/>/);
    // Body 3号 (16 pt = 32 half-points) 仿宋; title 2号 (22 pt) 小标宋; the mark in red.
    expect(document).toMatch(/<w:rFonts w:ascii="仿宋_GB2312"[^>]*w:eastAsia="仿宋_GB2312"/);
    expect(document).toMatch(/<w:rFonts w:ascii="方正小标宋简体"[^/]*\/>(<[^>]+>)*<w:sz w:val="44"\/>/);
    // The red mark: in the body (文件格式) or, for a 函, in page 1's header (信函格式, see format.test.ts).
    const headers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/header\d+\.xml$/.test(n)).map(text));
    expect([document, ...headers].join('')).toMatch(/<w:color w:val="FF0000"\/>/);
    expect(document).toContain(`<w:t xml:space="preserve">${doc.docNumber}</w:t>`);
    expect(doc.docNumber).toMatch(/^白脱贫办[函通发]〔2020〕\d+号$/);
    expect(document).toContain(doc.title);
    expect(document).toContain('2020年11月9日');
    // Page numbers "— n —": right on odd pages, left on even ones (a letter's page 1: none, see format.test.ts).
    expect(await text('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = (await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d+\.xml$/.test(n)).map(text))).filter((f) => f.includes('PAGE'));
    for (const f of footers) expect(f).toMatch(/— <\/w:t>.*PAGE.*<w:t xml:space="preserve"> —/s);
    expect(footers.map((f) => /<w:jc w:val="(right|left)"\/>/.exec(f)![1]).sort()).toEqual(['left', 'right']);
  });

  it('fills the facts in: item numbers, deadlines, days late, the units ranked in a bulletin', async () => {
    const urging = compose('urging_letter');
    expect(urging.addressees).toEqual(['市水利局']);
    expect(urging.paragraphs.map((p) => p.text)).toContain('7. 完成农村饮水安全工程水质检测全覆盖（整改时限：2020年10月20日，已逾期23天）');
    const bulletin = compose('bulletin');
    expect(bulletin.addressees).toEqual(['各县（市、区）脱贫攻坚领导小组', '市直有关部门']);
    expect(bulletin.paragraphs.filter((p) => p.level === 1).map((p) => p.text)).toEqual(['一、总体情况', '二、各单位评定情况', '三、存在的问题', '四、下步要求']);
    expect(bulletin.paragraphs.map((p) => p.text)).toContain('3. 洮北区：差（逾期未完成2项；未报送2项（应报3项））');
  });

  it('regenerates byte-for-byte', async () => {
    const doc = compose('supervision_letter');
    const a = await renderDocx(doc);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await renderDocx(doc)).equals(a)).toBe(true);
  });

  it('refuses a template that names a fact the letter does not have', () => {
    const broken = { ...DEFAULT_TEMPLATES.reminder_letter, body: '请{{unitNmae}}于期限内整改。' };
    expect(() => composeLetter(broken, SAMPLE_FACTS.reminder_letter, sampleHead('reminder_letter'))).toThrow(TemplateError);
    expect(() => composeLetter(broken, SAMPLE_FACTS.reminder_letter, sampleHead('reminder_letter'))).toThrow(/unitNmae/);
  });

  it('previews as HTML with the text escaped', () => {
    const doc = { ...compose('reminder_letter'), title: '关于<script>的提醒函' };
    const html = renderHtml(doc);
    expect(html).toContain('关于&lt;script&gt;的提醒函');
    expect(html).toContain('padding: 37mm 26mm 35mm 28mm');
  });

  it('prints as PDF with the Chinese fonts embedded, on numbered A4 pages', { timeout: 60_000 }, async () => {
    const pdf = await renderPdf(compose('bulletin'), resolveFonts());
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.2\d+ 841\.8\d+\]/);
    const fonts = resolveFonts();
    // Each role's first font: Fandol (仿宋 body, 小标宋 title, 黑体 headings) where provisioned, else AR PL UMing / WenQuanYi.
    const first = (role: 'body' | 'title' | 'heading1') => openFace(fonts[role][0]!).postscriptName;
    for (const role of ['body', 'title', 'heading1'] as const) expect(raw).toContain(`+${first(role)}`);
    expect(raw).toMatch(/\/FontFile[23]/);
    expect((raw.match(/\/Type \/Page\b/g) ?? []).length).toBe(2);
  });

  it('refuses to print boxes: a font without Chinese glyphs, or no font at all, is an error that says what to do', { timeout: 60_000 }, async () => {
    const latinOnly = { path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' };
    const fonts = { ...resolveFonts(), body: latinOnly };
    await expect(renderPdf(compose('reminder_letter'), fonts)).rejects.toThrow(FontError);
    await expect(renderPdf(compose('reminder_letter'), fonts)).rejects.toThrow(/body font .*DejaVuSans\.ttf cannot draw .*白/);
    expect(() => resolveFonts({ RECTIFY_FONT_BODY: '/nonexistent/仿宋_GB2312.ttf' })).toThrow(/RECTIFY_FONT_BODY=\/nonexistent\/仿宋_GB2312\.ttf does not exist/);
  });
});
