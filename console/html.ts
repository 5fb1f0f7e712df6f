/**
 * HTML from typed template literals: `html\`<p>${name}</p>\`` escapes every value it is given;
 * only another `html` fragment (or `raw`, for markup we wrote ourselves) goes in as it is.
 * Pages are plain functions of their data, checked by the compiler — no template language to
 * learn, nothing parsed at run time, and no way to forget an escape.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** Markup we wrote ourselves (never user text). */
export const raw = (s: string): Html => new Html(s);

/** JSON for a <script type="application/json"> block: "<" escaped so the data cannot close the tag. */
export const jsonScript = (id: string, data: unknown): Html =>
  raw(`<script type="application/json" id="${escapeHtml(id)}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`);
