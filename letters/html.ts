/**
 * An HTML preview of an official document: the same structure and GB/T 9704 measures as the
 * .docx (A4 page, margins, 3号 body, 2号 title, red mark and rule), for the browser. Fonts fall
 * back to whatever Chinese serif the viewer has; the .docx and PDF are the documents of record.
 */
import type { OfficialDocument } from '../domain/letters/document';
import { BODY_PT, FONTS, LINE_PITCH_PT, MARGINS_MM, PAGE, TITLE_PT } from '../domain/letters/layout';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderHtml(doc: OfficialDocument): string {
  const serif = `"${FONTS.body}", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif`;
  const para = (p: OfficialDocument['paragraphs'][number]) => {
    const family = p.level === 1 ? `"${FONTS.heading1}", "SimHei", "Noto Sans CJK SC", sans-serif` : p.level === 2 ? `"${FONTS.heading2}", "KaiTi", "STKaiti", serif` : 'inherit';
    return `<p style="text-indent:2em;font-family:${family}">${esc(p.text)}</p>`;
  };
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(doc.title)}</title>
<style>
  body { background: #eee; margin: 0; }
  .page { box-sizing: border-box; width: ${PAGE.widthMm}mm; min-height: ${PAGE.heightMm}mm; margin: 8mm auto; background: #fff;
          padding: ${MARGINS_MM.top}mm ${MARGINS_MM.right}mm ${MARGINS_MM.bottom}mm ${MARGINS_MM.left}mm;
          font-family: ${serif}; font-size: ${BODY_PT}pt; line-height: ${LINE_PITCH_PT.toFixed(2)}pt; }
  p { margin: 0; text-align: justify; }
  .mark { color: #f00; text-align: center; font-family: "${FONTS.title}", "Noto Serif CJK SC", serif; font-size: 26pt; line-height: 1.4;
          border-bottom: 3px double #f00; padding-bottom: 2mm; }
  .number { text-align: right; }
  .title { text-align: center; font-family: "${FONTS.title}", "Noto Serif CJK SC", serif; font-size: ${TITLE_PT}pt; line-height: 1.6; margin: ${LINE_PITCH_PT}pt 0; }
  .sign { text-align: right; padding-right: 4em; margin-top: ${2 * LINE_PITCH_PT}pt; }
  .record { margin-top: ${LINE_PITCH_PT}pt; font-size: 14pt; border-top: 1px solid #000; border-bottom: 1px solid #000; padding: 0 1em; }
</style></head>
<body><div class="page">
<p class="mark">${esc(doc.issuingBodyMark)}</p>
<p class="number">${esc(doc.docNumber)}</p>
<p class="title">${esc(doc.title)}</p>
<p>${esc(doc.addressees.join('、'))}：</p>
${doc.paragraphs.map(para).join('\n')}
<p class="sign">${esc(doc.signature)}<br>${esc(doc.date)}</p>
<div class="record">${doc.cc.length ? `<p>抄送：${esc(doc.cc.join('，'))}。</p>` : ''}<p>${esc(doc.printedBy)}　　${esc(doc.printedDate)}印发</p></div>
</div></body></html>
`;
}
