/** Writes demo/baicheng-2020-13.xlsx from demo/seed-002.ts (the spreadsheet the demo imports). */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { HEADERS, TASKS } from '../demo/seed-002';

export const DEMO_SHEET = path.resolve(__dirname, '..', 'demo', 'baicheng-2020-13.xlsx');

export async function writeDemoSheet(file = DEMO_SHEET): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date('2020-09-22T00:00:00+08:00');
  wb.modified = wb.created;
  const ws = wb.addWorksheet('任务清单');
  ws.columns = [{ width: 8 }, { width: 30 }, { width: 80 }, { width: 20 }, { width: 40 }, { width: 14 }];
  ws.addRow(HEADERS).font = { bold: true };
  for (const t of TASKS) ws.addRow(t);
  await wb.xlsx.writeFile(file);
}

if (require.main === module) {
  writeDemoSheet().then(() => console.log(`wrote ${DEMO_SHEET}`));
}
