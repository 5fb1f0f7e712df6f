/** Reads the first sheet of an .xlsx, or a CSV, into rows keyed by header (row numbers as in the file). */
import ExcelJS from 'exceljs';

export interface SheetRow {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}

export async function readSpreadsheet(file: Buffer): Promise<{ headers: string[]; rows: SheetRow[] }> {
  const isXlsx = file.length > 3 && file[0] === 0x50 && file[1] === 0x4b; // "PK": a zip, i.e. .xlsx
  const table = isXlsx ? await xlsxTable(file) : csvTable(file.toString('utf8').replace(/^\uFEFF/, ''));
  const [header = [], ...body] = table;
  const headers = header.map((h) => h.trim());
  const rows: SheetRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => !c.trim())) return;
    rows.push({ row: i + 2, cells: Object.fromEntries(headers.map((h, j) => [h, (cells[j] ?? '').trim()])) });
  });
  return { headers, rows };
}

async function xlsxTable(file: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    out[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(out, (r) => r ?? []);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return String(v.result ?? '');
  }
  return String(v);
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
function csvTable(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
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
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
