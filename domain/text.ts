/**
 * The rules for text the engine accepts and writes, in one place.
 *
 * PostgreSQL refuses U+0000 in text and in JSON(B), and a lone UTF-16 surrogate cannot be encoded
 * as UTF-8 at all: such text is refused at the edge (the API's text guard, every cell of an
 * import) and, should any get in by another way, scrubbed before an activity writes it, so no
 * workflow can be wedged by retrying a write that can never succeed. Other C0 control characters
 * (except tab, line feed, carriage return) have no place in an office's text and are refused too.
 *
 * Limits (the API's zod schemas set tighter ones per field; these bound everything else):
 *   any string in a JSON body, query or header:  100,000 characters
 *   any array in a JSON body:                    10,000 elements
 *   nesting of a JSON body:                      32 levels
 *   an import file:                              20 MiB as sent; an .xlsx at most 32 MiB unpacked,
 *                                                 at most 2,000 zip entries
 *   an import:                                   20,000 rows, 50 columns, 200,000 cells in the
 *                                                 workbook's sheets, 10,000 characters a cell
 */

export const MAX_TEXT_CHARS = 100_000;
export const MAX_ARRAY_ITEMS = 10_000;
export const MAX_JSON_DEPTH = 32;

export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_XLSX_UNPACKED_BYTES = 32 * 1024 * 1024;
export const MAX_XLSX_ENTRIES = 2_000;
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_IMPORT_COLUMNS = 50;
/** Cells in all the sheets of an .xlsx (parsing costs about 1 KB of memory a cell): 20,000 rows of 10 columns. */
export const MAX_IMPORT_CELLS = 200_000;
export const MAX_CELL_CHARS = 10_000;

export const INVALID_TEXT_MESSAGE_ZH = '文本含有不可用的控制字符或无效字符';
export const TOO_LARGE_MESSAGE_ZH = '内容过长或层级过多，超出上限';

/**
 * NUL and the other C0 controls except \t \n \r, DEL is allowed; lone surrogates (a high one not
 * followed by a low one, a low one not preceded by a high one).
 */
const BAD_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BAD_TEXT_G = new RegExp(BAD_TEXT.source, 'g');

/** What is wrong with a text, or null when it is fine. */
export function textProblem(s: string): string | null {
  const m = BAD_TEXT.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what = code === 0 ? 'a NUL character (U+0000)' : code >= 0xd800 ? `a lone surrogate (${hex})` : `a control character (${hex})`;
  return `contains ${what} at position ${m.index}`;
}

export const isCleanText = (s: string): boolean => !BAD_TEXT.test(s);

/** The text with every refused character replaced: controls dropped, lone surrogates as U+FFFD. */
export function scrubText(s: string): string {
  return s.replace(BAD_TEXT_G, (c) => (c.charCodeAt(0) >= 0xd800 ? '\uFFFD' : ''));
}

/** A JSON-like value with every string (and object key) scrubbed; other values as they are. */
export function scrubDeep<T>(v: T, depth = 0): T {
  if (typeof v === 'string') return scrubText(v) as T;
  if (depth > 64 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, depth + 1)) as T;
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[scrubText(k)] = scrubDeep(x, depth + 1);
  return out as T;
}

export interface TextIssue {
  path: string;
  message: string;
  /** Refused characters, or a string, list or nesting beyond its limit. */
  kind: 'characters' | 'size';
}

/**
 * The first problem in a parsed JSON value (or query object): refused characters in any string
 * or key, strings, arrays or nesting beyond the limits. `path` as "body.items.0.content".
 */
export function findTextIssue(v: unknown, path: string, depth = 0): TextIssue | null {
  if (typeof v === 'string') {
    if (v.length > MAX_TEXT_CHARS) return { path, message: `longer than ${MAX_TEXT_CHARS} characters (${v.length})`, kind: 'size' };
    const p = textProblem(v);
    return p ? { path, message: p, kind: 'characters' } : null;
  }
  if (v === null || typeof v !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return { path, message: `nested deeper than ${MAX_JSON_DEPTH} levels`, kind: 'size' };
  if (Array.isArray(v)) {
    if (v.length > MAX_ARRAY_ITEMS) return { path, message: `more than ${MAX_ARRAY_ITEMS} elements (${v.length})`, kind: 'size' };
    for (let i = 0; i < v.length; i++) {
      const issue = findTextIssue(v[i], `${path}.${i}`, depth + 1);
      if (issue) return issue;
    }
    return null;
  }
  if (ArrayBuffer.isView(v)) return null;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const kp = textProblem(k);
    if (kp) return { path: `${path}.${JSON.stringify(scrubText(k))}`, message: `a key ${kp}`, kind: 'characters' };
    const issue = findTextIssue(x, `${path}.${k}`, depth + 1);
    if (issue) return issue;
  }
  return null;
}

/**
 * Spreadsheet formula injection (OWASP "CSV injection"): a text that Excel or WPS would read as a
 * formula once a user edits the cell — it starts with = + - @, a tab or a carriage return (or
 * their full-width forms ＝ ＋ － ＠, which some Chinese input setups turn into formulas).
 */
export const looksLikeFormula = (s: string): boolean => /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/.test(s);
