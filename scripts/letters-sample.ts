/**
 * One sample of every letter type, filled with realistic data, as .docx and .html, without a
 * running stack — for the office and reviewers to open in Word, WPS or a browser.
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

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) {
    console.error('usage: npm run letters:sample -- --out DIR');
    process.exit(2);
  }
  fs.mkdirSync(values.out, { recursive: true });
  for (const [i, type] of LETTER_TYPES.entries()) {
    const doc = composeLetter(DEFAULT_TEMPLATES[type], SAMPLE_FACTS[type], sampleHead(type));
    const base = path.join(values.out, `${String(i + 1).padStart(2, '0')}-${LETTER_TYPE_LABELS[type]}`);
    fs.writeFileSync(`${base}.docx`, await renderDocx(doc));
    fs.writeFileSync(`${base}.html`, renderHtml(doc));
    console.log(`${LETTER_TYPE_LABELS[type].padEnd(8, '　')} ${doc.docNumber}  →  ${base}.docx, .html`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
