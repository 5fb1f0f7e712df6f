/**
 * An HTML preview of an official document: the same structure and GB/T 9704 measures as the
 * .docx (A4 page, margins, 3号 body, 2号 title), in its format — the letter format (信函格式:
 * the mark 30 mm from the page top between red double rules, the number flush right, a 版记 of
 * 抄送 only) or the document format (文件格式: the mark 35 mm into the text block, the number
 * centred over a red rule, the 版记 of 抄送 and 印发 between rules) — for the browser. One long
 * page: the 版记 closes it. Fonts fall back to whatever Chinese faces the viewer has; the .docx
 * and PDF are the documents of record.
 */
import type { OfficialDocument } from '../domain/letters/document';
import { BODY_PT, DOCUMENT_FORMAT, FONTS, LETTER_FORMAT, LINE_PITCH_PT, MARGINS_MM, MARK_PT, PAGE, SEVEN_EIGHTHS_PT, TEXT_BLOCK_MM, TITLE_PT } from '../domain/letters/layout';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderHtml(doc: OfficialDocument): string {
  const letter = doc.format === 'letter';
  const serif = `"${FONTS.body}", "FangSong", "STFangsong", "FandolFang", "Noto Serif CJK SC", "Source Han Serif SC", serif`;
  const titleFace = `"${FONTS.title}", "FandolSong", "Noto Serif CJK SC", serif`;
  const para = (p: OfficialDocument['paragraphs'][number]) => {
    const family = p.level === 1 ? `"${FONTS.heading1}", "SimHei", "FandolHei", "Noto Sans CJK SC", sans-serif` : p.level === 2 ? `"${FONTS.heading2}", "KaiTi", "STKaiti", "FandolKai", serif` : 'inherit';
    return `<p style="text-indent:2em;font-family:${family}">${esc(p.text)}</p>`;
  };
  const out = (LETTER_FORMAT.ruleLengthMm - TEXT_BLOCK_MM.width) / 2;
  const { thickPt, thinPt, gapPt } = LETTER_FORMAT;
  const topLeft = [doc.copyNumber, doc.secrecy, doc.urgency].filter((s): s is string => !!s);
  const head = letter
    ? `<p class="mark">${esc(doc.issuingBodyMark)}</p>
<div class="double upper"></div>
<div class="numberline"><span>${topLeft.map(esc).join('<br>')}</span><span>${esc(doc.docNumber)}</span></div>`
    : `${topLeft.map((t) => `<p>${esc(t)}</p>`).join('')}<p class="mark">${esc(doc.issuingBodyMark)}</p>
<p class="number">${esc(doc.docNumber)}</p>`;
  const cc = doc.cc.length ? `<p class="cc">抄送：${esc(doc.cc.join('，'))}。</p>` : '';
  const record = letter
    ? cc && `<div class="record">${cc}</div>`
    : `<div class="record">${cc}<p class="printed"><span>${esc(doc.printedBy)}</span><span>${esc(doc.printedDate)}印发</span></p></div>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(doc.title)}</title>
<style>
  body { background: #eee; margin: 0; }
  .page { box-sizing: border-box; width: ${PAGE.widthMm}mm; min-height: ${PAGE.heightMm}mm; margin: 8mm auto; background: #fff; position: relative;
          padding: ${MARGINS_MM.top}mm ${MARGINS_MM.right}mm ${MARGINS_MM.bottom}mm ${MARGINS_MM.left}mm;
          font-family: ${serif}; font-size: ${BODY_PT}pt; line-height: ${LINE_PITCH_PT.toFixed(2)}pt; display: flex; flex-direction: column; }
  .page.letter { padding-top: ${LETTER_FORMAT.markTopMm}mm; }
  p { margin: 0; text-align: justify; }
  .mark { color: #f00; text-align: center; font-family: ${titleFace}; font-weight: bold; font-size: ${MARK_PT}pt; line-height: ${MARK_PT}pt; }
  .document .mark { margin-top: ${DOCUMENT_FORMAT.markBelowBlockTopMm}mm; }
  .double { margin: 0 -${out}mm; height: ${gapPt}pt; }
  .double.upper { margin-top: ${LETTER_FORMAT.ruleGapMm}mm; border-top: ${thickPt}pt solid #f00; border-bottom: ${thinPt}pt solid #f00; }
  .double.lower { position: absolute; left: ${MARGINS_MM.left}mm; right: ${MARGINS_MM.right}mm; bottom: ${LETTER_FORMAT.lowerRuleFromBottomMm}mm; border-top: ${thinPt}pt solid #f00; border-bottom: ${thickPt}pt solid #f00; }
  .numberline { display: flex; justify-content: space-between; margin-top: ${(SEVEN_EIGHTHS_PT - (LINE_PITCH_PT - BODY_PT) / 2).toFixed(2)}pt; }
  .number { text-align: center; margin-top: ${2 * LINE_PITCH_PT}pt; padding-bottom: ${DOCUMENT_FORMAT.numberRuleGapMm}mm; border-bottom: ${DOCUMENT_FORMAT.redRulePt}pt solid #f00; }
  .title { text-align: center; font-family: ${titleFace}; font-weight: bold; font-size: ${TITLE_PT}pt; line-height: ${(TITLE_PT * 1.6).toFixed(1)}pt; margin: ${2 * LINE_PITCH_PT}pt 0 ${LINE_PITCH_PT}pt; }
  .sign { text-align: right; padding-right: 4em; margin-top: ${2 * LINE_PITCH_PT}pt; }
  .record { margin-top: auto; padding-top: ${LINE_PITCH_PT}pt; font-size: 14pt; }
  .record p { padding: 0 1em; }
  .record .cc { padding-left: 4em; text-indent: -3em; }
  .document .record { padding-top: 0; margin-top: auto; border-top: ${DOCUMENT_FORMAT.recordThickMm}mm solid #000; border-bottom: ${DOCUMENT_FORMAT.recordThickMm}mm solid #000; }
  .document .record .cc { border-bottom: ${DOCUMENT_FORMAT.recordThinMm}mm solid #000; margin: 0 -1em; padding-left: 5em; padding-right: 2em; }
  .printed { display: flex; justify-content: space-between; }
  .spacer { min-height: ${LINE_PITCH_PT}pt; }
</style></head>
<body><div class="page ${letter ? 'letter' : 'document'}">
${head}
<p class="title">${esc(doc.title)}</p>
<p>${esc(doc.addressees.join('、'))}：</p>
${doc.paragraphs.map(para).join('\n')}
<p class="sign">${esc(doc.signature)}<br>${esc(doc.date)}</p>
<div class="spacer"></div>
${record}${letter ? '\n<div class="double lower"></div>' : ''}
</div></body></html>
`;
}
