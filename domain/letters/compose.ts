/**
 * Template + facts → an official document. Handlebars in strict mode: a template that names a
 * fact the letter does not have is an error (the office sees it when previewing its edit), not
 * an empty gap in a letter that goes out. No HTML escaping: the output is text for documents;
 * the HTML renderer escapes on its own.
 */
import Handlebars from 'handlebars';
import { paragraphsOf, type OfficialDocument } from './document';
import type { LetterTemplate } from './templates';
import { DOC_FORMAT, LETTER_TYPE_LABELS, type LetterType } from './types';

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

/**
 * Compile limits: wording is text an office writes, and composing it must stay cheap. Nested
 * blocks multiply (each `{{#each}}` inside another repeats it per element: d levels cost n^d),
 * so blocks nest at most MAX_BLOCK_DEPTH deep (the built-in wording nests 2); a part's output is
 * at most MAX_OUTPUT_CHARS, and its blocks run at most MAX_BLOCK_CALLS times within
 * MAX_COMPOSE_MS — checked as it runs, so a loop over a loop is cut short.
 */
export const MAX_BLOCK_DEPTH = 4;
export const MAX_OUTPUT_CHARS = 200_000;
/** Blocks run per part, and the time a part may take: a loop producing nothing still costs. */
export const MAX_BLOCK_CALLS = 100_000;
export const MAX_COMPOSE_MS = 1_000;

type HbNode = { type: string; program?: HbNode & { body?: HbNode[] }; inverse?: HbNode & { body?: HbNode[] }; body?: HbNode[] };

/** The deepest nesting of blocks ({{#…}}, {{^…}}, {{#> …}}) in a parsed template. */
export function blockDepth(node: HbNode): number {
  const children = (n: HbNode | undefined) => n?.body ?? [];
  const isBlock = node.type === 'BlockStatement' || node.type === 'PartialBlockStatement' || node.type === 'DecoratorBlock';
  const inner = [...children(node), ...children(node.program), ...children(node.inverse)].reduce((m, c) => Math.max(m, blockDepth(c)), 0);
  return inner + (isBlock ? 1 : 0);
}

/** The literal text of a template (what the office typed, facts aside): checked against the PDF fonts at save. */
export function literalText(source: string): string {
  const out: string[] = [];
  const walk = (n: HbNode & { value?: unknown }) => {
    if (n.type === 'ContentStatement' && typeof n.value === 'string') out.push(n.value);
    for (const c of [...(n.body ?? []), ...(n.program?.body ?? []), ...(n.inverse?.body ?? [])]) walk(c);
  };
  try {
    walk(hb.parse(source) as unknown as HbNode);
  } catch {
    return source;
  }
  return out.join('');
}

class OutputTooLarge extends Error {}

function render(part: 'title' | 'body', source: string, facts: object): string {
  let ast: HbNode;
  try {
    ast = hb.parse(source) as unknown as HbNode;
  } catch (err) {
    throw new TemplateError(part, (err as Error).message);
  }
  const depth = blockDepth(ast);
  if (depth > MAX_BLOCK_DEPTH) throw new TemplateError(part, `blocks nest ${depth} deep; at most ${MAX_BLOCK_DEPTH} are allowed`);
  // Count output as it is produced: every block's output goes through its `fn`, so wrapping the
  // built-in helpers' programs would be invasive; instead the compiled template runs with a
  // private helper set whose `each`/`with`/`if`/`unless` delegate and measure.
  let produced = 0;
  let calls = 0;
  const deadline = Date.now() + MAX_COMPOSE_MS;
  const measure = (text: string) => {
    produced += text.length; // nested blocks count again in their parent: at most MAX_BLOCK_DEPTH times
    if (produced > MAX_OUTPUT_CHARS * MAX_BLOCK_DEPTH || ++calls > MAX_BLOCK_CALLS || Date.now() > deadline) throw new OutputTooLarge();
    return text;
  };
  const helpers: Record<string, Handlebars.HelperDelegate> = {};
  for (const name of ['each', 'with', 'if', 'unless', 'blockHelperMissing']) {
    const builtIn = hb.helpers[name]!;
    helpers[name] = function (this: unknown, ...args: unknown[]) {
      return measure(String(builtIn.apply(this, args as never) ?? ''));
    };
  }
  let out: string;
  try {
    out = hb.compile(source, { noEscape: true, strict: true })(facts, { helpers });
  } catch (err) {
    if (err instanceof OutputTooLarge) throw new TemplateError(part, `the wording is too costly to compose (more than ${MAX_OUTPUT_CHARS.toLocaleString('en')} characters, ${MAX_BLOCK_CALLS.toLocaleString('en')} blocks or ${MAX_COMPOSE_MS} ms)`);
    throw new TemplateError(part, (err as Error).message);
  }
  if (out.length > MAX_OUTPUT_CHARS) throw new TemplateError(part, `the wording makes ${out.length.toLocaleString('en')} characters; at most ${MAX_OUTPUT_CHARS.toLocaleString('en')} are allowed`);
  return out;
}

export function composeLetter(template: LetterTemplate, facts: object, head: LetterHead): OfficialDocument {
  const title = render('title', template.title, facts).replace(/\s+/g, '');
  const body = render('body', template.body, facts);
  const paragraphs = paragraphsOf(body);
  if (!title) throw new TemplateError('title', `a ${LETTER_TYPE_LABELS[head.type]} needs a title`);
  return {
    format: DOC_FORMAT[head.type],
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
