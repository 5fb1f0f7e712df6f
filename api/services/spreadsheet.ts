/**
 * Reads the first sheet of an .xlsx, or a CSV, into rows keyed by header (row numbers as in the
 * file), and makes the sheets the product writes safe to open and edit (no formula injection).
 *
 * Reading is bounded (domain/text.ts): an .xlsx is checked before anything is parsed — at most
 * 2,000 zip entries, 32 MiB unpacked (counted while inflating, so a zip bomb or a central
 * directory that lies is refused with a 413 after inflating at most the cap, never a 500 or a
 * blocked event loop) and 200,000 cells in its sheets (parsing keeps every cell in memory);
 * at most 20,000 rows and 50 columns. Anything that is not a readable .xlsx
 * or CSV is a 400. A CSV may be UTF-8 (with or without BOM), UTF-16 LE/BE (BOM, or plainly
 * UTF-16 text) or GBK/GB18030 (what Excel saves on a Chinese Windows); the encoding found is
 * reported so the importer can say it when the headers do not match.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { looksLikeFormula, MAX_IMPORT_CELLS, MAX_IMPORT_COLUMNS, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_ROWS, MAX_XLSX_ENTRIES, MAX_XLSX_UNPACKED_BYTES } from '../../domain/text';
import { AppError } from '../errors';

export interface SheetRow {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}

export interface Spreadsheet {
  headers: string[];
  rows: SheetRow[];
  /** How the file was read: 'xlsx', or the CSV's text encoding ('UTF-8', 'UTF-8 (BOM)', 'UTF-16LE', 'UTF-16BE', 'GB18030'). */
  encoding: string;
}

const MiB = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;

export const fileTooLarge = (message: string, messageZh: string) =>
  new AppError(413, 'FILE_TOO_LARGE', message, {
    messageZh,
    limits: { fileBytes: MAX_IMPORT_FILE_BYTES, unpackedBytes: MAX_XLSX_UNPACKED_BYTES, zipEntries: MAX_XLSX_ENTRIES, rows: MAX_IMPORT_ROWS, columns: MAX_IMPORT_COLUMNS, cells: MAX_IMPORT_CELLS },
  });

export const invalidFile = (message: string, messageZh: string) => new AppError(400, 'INVALID_FILE', message, { messageZh });

const notXlsx = (why: string) =>
  invalidFile(
    `not a valid .xlsx file (${why}): save it again in Excel or WPS as "Excel 工作簿 (*.xlsx)", or send a CSV`,
    `不是有效的 .xlsx 文件（${why}）：请在 Excel 或 WPS 中另存为“Excel 工作簿 (*.xlsx)”，或改为上传 CSV 文件`,
  );

export async function readSpreadsheet(file: Buffer): Promise<Spreadsheet> {
  const isXlsx = file.length >= 2 && file[0] === 0x50 && file[1] === 0x4b; // "PK": a zip, i.e. .xlsx
  let table: { n: number; cells: string[] }[];
  let encoding = 'xlsx';
  if (isXlsx) table = await xlsxTable(file);
  else if (file.length >= 4 && file.readUInt32BE(0) === 0xd0cf11e0) {
    throw invalidFile(
      'an old Excel 97-2003 (.xls) or other binary file: save it in Excel or WPS as "Excel 工作簿 (*.xlsx)" or as "CSV UTF-8", and import that',
      '这是旧版 Excel 97-2003（.xls）或其他二进制文件：请在 Excel 或 WPS 中另存为“Excel 工作簿 (*.xlsx)”或“CSV UTF-8”后再导入',
    );
  } else {
    const decoded = decodeCsv(file);
    encoding = decoded.encoding;
    table = csvTable(decoded.text);
  }
  const [header, ...body] = table;
  const headers = (header?.cells ?? []).map((h) => h.trim());
  const rows: SheetRow[] = [];
  for (const { n, cells } of body) {
    if (cells.every((c) => !c.trim())) continue;
    rows.push({ row: n, cells: Object.fromEntries(headers.map((h, j) => [h, (cells[j] ?? '').trim()])) });
  }
  if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows(rows.length);
  return { headers, rows, encoding };
}

const tooManyRows = (n: number | string) =>
  fileTooLarge(`the file has ${n} rows; at most ${MAX_IMPORT_ROWS} rows can be imported at once: split the list`, `文件超过 ${MAX_IMPORT_ROWS} 行的导入上限，请拆分后分批导入`);
const tooManyColumns = (col: number) =>
  fileTooLarge(`the file has a cell in column ${col}; at most ${MAX_IMPORT_COLUMNS} columns are read`, `文件列数超过 ${MAX_IMPORT_COLUMNS} 列的上限`);

// ---------------------------------------------------------------------------------------------
// .xlsx

interface ZipInternals {
  _data?: { uncompressedSize?: number; compressedContent?: Uint8Array; compression?: { magic?: string } };
}

const inflateRaw = promisify(zlib.inflateRaw) as (buf: Uint8Array, opts: zlib.ZlibOptions) => Promise<Buffer>;

/** Refuses a zip whose entries would unpack to more than the cap, counting what inflating really yields. */
async function checkZip(file: Buffer): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(file, { checkCRC32: false });
  } catch (err) {
    throw notXlsx(`unreadable zip: ${(err as Error).message}`);
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > MAX_XLSX_ENTRIES) {
    throw fileTooLarge(`the .xlsx holds ${entries.length} parts; at most ${MAX_XLSX_ENTRIES} are read`, `.xlsx 文件内部条目超过 ${MAX_XLSX_ENTRIES} 个的上限`);
  }
  const tooBig = () =>
    fileTooLarge(
      `the .xlsx unpacks to more than ${MiB(MAX_XLSX_UNPACKED_BYTES)} (at most ${MiB(MAX_XLSX_UNPACKED_BYTES)} unpacked, ${MAX_IMPORT_ROWS} rows, ${MAX_IMPORT_COLUMNS} columns): split the list`,
      `.xlsx 文件解压后超过 ${MiB(MAX_XLSX_UNPACKED_BYTES)} 的上限（最多 ${MAX_IMPORT_ROWS} 行、${MAX_IMPORT_COLUMNS} 列），请拆分后分批导入`,
    );
  // What the central directory says first (cheap), then what inflating really gives (it may lie).
  const declared = entries.reduce((sum, f) => sum + ((f as unknown as ZipInternals)._data?.uncompressedSize ?? 0), 0);
  if (declared > MAX_XLSX_UNPACKED_BYTES) throw tooBig();
  if (!zip.file('xl/workbook.xml')) throw notXlsx('no xl/workbook.xml in it');
  let left = MAX_XLSX_UNPACKED_BYTES;
  let cells = 0;
  for (const f of entries) {
    const data = (f as unknown as ZipInternals)._data;
    const content = data?.compressedContent;
    const magic = data?.compression?.magic;
    if (!content || magic === undefined) continue;
    let unpacked: Uint8Array;
    if (magic === '\x00\x00') unpacked = content; // stored
    else if (magic === '\x08\x00') {
      try {
        unpacked = await inflateRaw(content, { maxOutputLength: left + 1 });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooBig();
        throw notXlsx(`part ${f.name} is damaged`);
      }
    } else throw notXlsx(`part ${f.name} uses an unsupported compression`);
    left -= unpacked.length;
    if (left < 0) throw tooBig();
    // Parsing costs memory by the cell (exceljs keeps every cell of every sheet): counted before it runs.
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(f.name)) cells += countCells(Buffer.from(unpacked.buffer, unpacked.byteOffset, unpacked.length));
    if (cells > MAX_IMPORT_CELLS) {
      throw fileTooLarge(
        `the .xlsx has more than ${MAX_IMPORT_CELLS} cells in its sheets; at most ${MAX_IMPORT_CELLS} cells (${MAX_IMPORT_ROWS} rows, ${MAX_IMPORT_COLUMNS} columns) are read: split the list, or delete unused sheets and formatted empty cells`,
        `.xlsx 文件的单元格超过 ${MAX_IMPORT_CELLS} 个的上限，请拆分清单，或删除无关工作表和空白的已设格式单元格`,
      );
    }
  }
}

/** The cells (`<c ...>` elements) in a worksheet's XML. */
function countCells(xml: Buffer): number {
  let n = 0;
  for (const needle of ['<c ', '<c>', '<c/']) for (let i = xml.indexOf(needle); i >= 0; i = xml.indexOf(needle, i + 3)) n++;
  return n;
}

async function xlsxTable(file: Buffer): Promise<{ n: number; cells: string[] }[]> {
  await checkZip(file);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch (err) {
    throw notXlsx(`cannot read its sheets: ${(err as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const out: { n: number; cells: string[] }[] = [];
  let problem: AppError | null = null;
  // Only the rows and cells that exist: a lone cell at row 1,000,000 or column XFD allocates nothing.
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (problem) return;
    if (out.length > MAX_IMPORT_ROWS) return void (problem = tooManyRows(`more than ${MAX_IMPORT_ROWS}`));
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > MAX_IMPORT_COLUMNS) {
        if (cellText(cell.value).trim()) problem ??= tooManyColumns(col);
        return;
      }
      cells[col - 1] = cellText(cell.value);
    });
    out.push({ n, cells: Array.from(cells, (c) => c ?? '') });
  });
  if (problem) throw problem;
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return String(v.result ?? '');
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// CSV

/** The CSV's text and the encoding it was read in: BOMs first, then UTF-16 by its zero bytes, then UTF-8 if valid, else GB18030. */
export function decodeCsv(file: Buffer): { text: string; encoding: string } {
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) return { text: utf8(file.subarray(3)) ?? iconv.decode(file.subarray(3), 'utf8'), encoding: 'UTF-8 (BOM)' };
  if (file[0] === 0xff && file[1] === 0xfe) return { text: iconv.decode(file.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (file[0] === 0xfe && file[1] === 0xff) return { text: iconv.decode(file.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  // UTF-16 without a BOM: ASCII (commas, digits, line ends) has a zero byte in every other position.
  const sample = file.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = Math.floor(sample.length / 2);
  if (pairs >= 4 && oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return { text: iconv.decode(file, 'utf-16le'), encoding: 'UTF-16LE' };
  if (pairs >= 4 && evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return { text: iconv.decode(file, 'utf-16be'), encoding: 'UTF-16BE' };
  const text = utf8(file);
  if (text !== null) return { text, encoding: 'UTF-8' };
  return { text: iconv.decode(file, 'gb18030'), encoding: 'GB18030' };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. Rows and columns bounded. */
function csvTable(text: string): { n: number; cells: string[] }[] {
  const rows: { n: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let n = 1; // the file's row number (the header is row 1), counted as records
  const push = () => {
    if (row.length > MAX_IMPORT_COLUMNS && row.slice(MAX_IMPORT_COLUMNS).some((c) => c.trim())) throw tooManyColumns(row.length);
    // the header, up to MAX_IMPORT_ROWS rows, and a little slack for blank lines counted below
    if (rows.length > MAX_IMPORT_ROWS * 2 + 1) throw tooManyRows(`more than ${MAX_IMPORT_ROWS}`);
    rows.push({ n: n++, cells: row.slice(0, MAX_IMPORT_COLUMNS) });
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), (field = ''), push();
    } else field += c;
  }
  if (field || row.length) row.push(field), push();
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Formula injection (OWASP "CSV injection"): every text cell of a sheet we write that Excel or WPS
 * would take for a formula once a user edits it (=, +, -, @, tab, CR … : domain/text.ts) is kept
 * as the text it is — the value is not changed (no apostrophe added, so "-5" still reads "-5" and
 * the data round-trips), the cell is formatted as Text (numFmt "@") and, by `withQuotePrefix`,
 * marked quotePrefix, which is what Excel itself does when a user types '=1+1: shown without the
 * quote, kept as text when edited. Numbers are written as numbers and are never touched.
 */
export function neutraliseFormulas(ws: ExcelJS.Worksheet): void {
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (typeof cell.value === 'string' && looksLikeFormula(cell.value)) cell.numFmt = '@';
    });
  });
}

/**
 * Adds quotePrefix="1" to every cell format using the built-in Text format (numFmtId 49, what
 * exceljs writes for "@"), which exceljs cannot set itself. Only neutralised cells use "@".
 */
export async function withQuotePrefix(xlsx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const styles = zip.file('xl/styles.xml');
  if (!styles) return xlsx;
  const xml = await styles.async('string');
  const patched = xml.replace(/<cellXfs\b[\s\S]*?<\/cellXfs>/, (xfs) =>
    xfs.replace(/<xf\b([^>]*?)(\/?)>/g, (tag, attrs: string, close: string) =>
      /\bnumFmtId="49"/.test(attrs) && !/\bquotePrefix=/.test(attrs) ? `<xf${attrs} quotePrefix="1"${close}>` : tag,
    ),
  );
  if (patched === xml) return xlsx;
  zip.file('xl/styles.xml', patched);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
