/**
 * Template + facts → an official document. Handlebars in strict mode: a template that names a
 * fact the letter does not have is an error (the office sees it when previewing its edit), not
 * an empty gap in a letter that goes out. No HTML escaping: the output is text for documents;
 * the HTML renderer escapes on its own.
 */
import Handlebars from 'handlebars';
import { paragraphsOf, type OfficialDocument } from './document';
import type { LetterTemplate } from './templates';
import { LETTER_TYPE_LABELS, type LetterType } from './types';

export interface LetterHead {
  type: LetterType;
  issuingBodyMark: string;
  signature: string;
  docNumber: string;
  /** 成文日期 as written (2023年7月14日). */
  date: string;
  addressees: string[];
  cc: string[];
}

const hb = Handlebars.create();

export class TemplateError extends Error {
  constructor(
    readonly part: 'title' | 'body',
    message: string,
  ) {
    super(`template ${part}: ${message}`);
  }
}

function render(part: 'title' | 'body', source: string, facts: object): string {
  try {
    return hb.compile(source, { noEscape: true, strict: true })(facts);
  } catch (err) {
    throw new TemplateError(part, (err as Error).message);
  }
}

export function composeLetter(template: LetterTemplate, facts: object, head: LetterHead): OfficialDocument {
  const title = render('title', template.title, facts).replace(/\s+/g, '');
  const body = render('body', template.body, facts);
  const paragraphs = paragraphsOf(body);
  if (!title) throw new TemplateError('title', `a ${LETTER_TYPE_LABELS[head.type]} needs a title`);
  return {
    issuingBodyMark: head.issuingBodyMark,
    docNumber: head.docNumber,
    title,
    addressees: head.addressees,
    paragraphs,
    signature: head.signature,
    date: head.date,
    cc: head.cc,
    printedBy: head.signature,
    printedDate: head.date,
  };
}
