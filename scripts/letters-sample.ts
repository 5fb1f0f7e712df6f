/**
 * One sample of every letter type, filled with realistic data, as .docx, .pdf and .html, without a
 * running stack (函 in GB/T 9704's letter format, 通报 and notices in the document format) — for the office and reviewers to open in Word, WPS or a browser.
 *   npm run letters:sample -- --out DIR
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeLetter } from '../domain/letters/compose';
import { SAMPLE_FACTS, sampleHead } from '../domain/letters/samples';
import { DEFAULT_TEMPLATES } from '../domain/letters/templates';
import { LETTER_TYPE_LABELS, LETTER_TYPES } from '../domain/letters/types';
import { renderDocx } from '../letters/docx';
import { renderHtml } from '../letters/html';
import { renderPdf } from '../letters/pdf';
import { FONT_ROLES, openFace, resolveFonts } from '../infra/fonts';

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npm run letters:sample -- --out DIR');
    process.exit(2);
  }
  fs.mkdirSync(values.out, { recursive: true });
  const fonts = resolveFonts(); // a clear error if the Chinese fonts are missing, before anything is written
  for (const role of FONT_ROLES) console.log(`PDF ${role.padEnd(8)} ${fonts[role].map((f) => openFace(f).postscriptName).join(' → ')}`);
  for (const [i, type] of LETTER_TYPES.entries()) {
    const doc = composeLetter(DEFAULT_TEMPLATES[type], SAMPLE_FACTS[type], sampleHead(type));
    const base = path.join(values.out, `${String(i + 1).padStart(2, '0')}-${LETTER_TYPE_LABELS[type]}`);
    fs.writeFileSync(`${base}.docx`, await renderDocx(doc));
    fs.writeFileSync(`${base}.html`, renderHtml(doc));
    fs.writeFileSync(`${base}.pdf`, await renderPdf(doc, fonts));
    console.log(`${LETTER_TYPE_LABELS[type].padEnd(8, '　')} ${doc.docNumber}  →  ${base}.docx, .pdf, .html`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
