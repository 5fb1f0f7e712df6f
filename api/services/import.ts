/**
 * Importing a problem / task / responsibility list into a campaign: all or nothing. Every row is
 * checked first (number, content, units against the directory with aliases, the deadline phrase
 * against the campaign's dates); any error and nothing is written, and every row's errors come
 * back. Rows are keyed by number: re-importing the same file changes nothing; an edited file
 * updates what changed (content, units, deadline) and says what.
 */
import crypto from 'node:crypto';
import { resolveDeadlinePhrase } from '../../domain/deadline-phrase';
import type { ItemKind } from '../../domain/item-lifecycle';
import type { Principal } from '../../domain/principal';
import { INVALID_TEXT_MESSAGE_ZH, MAX_CELL_CHARS, scrubText, textProblem } from '../../domain/text';
import { expandCounties, splitUnitList } from '../../domain/unit-list';
import type { Sql } from '../../infra/db';
import { AppError, notFound } from '../errors';
import type { ItemService } from './items';
import { readSpreadsheet, type SheetRow } from './spreadsheet';
import type { UnitService } from './units';

/** Accepted headers for each column (Chinese as offices write them, or English). */
export const COLUMNS = {
  number: ['序号', '编号', '任务编号', 'number'],
  category: ['类别', '问题', '反馈问题', '问题类别', '任务类别', 'category'],
  content: ['整改措施', '任务内容', '工作任务', '内容', 'content'],
  leadUnits: ['牵头单位', '责任单位', 'lead units', 'leadUnits'],
  coUnits: ['配合单位', 'co-operating units', 'coUnits'],
  deadline: ['整改时限', '完成时限', '时限', 'deadline'],
} as const;
type Column = keyof typeof COLUMNS;

/** The longest a cell may be, per column (as the item API allows); any other column: MAX_CELL_CHARS. */
const CELL_LIMITS: Partial<Record<string, number>> = { number: 50, category: 300, content: 10_000, deadline: 200 };

/** Said when the headers do not match: how the file was read, and what to do if that was wrong. */
function encodingHint(encoding: string): string {
  if (encoding === 'xlsx') return '; the first row of the first sheet must hold the column names (表头须在第一个工作表的第一行)';
  return (
    `; the CSV was read as ${encoding} — if the column names look garbled, save the file in Excel or WPS as "CSV UTF-8 (逗号分隔)" or as .xlsx and import it again ` +
    `(CSV 文件按 ${encoding} 编码读取；如表头乱码，请另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新导入)`
  );
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

export interface ImportedRow {
  row: number;
  number: string;
  category: string | null;
  content: string;
  kind: ItemKind;
  deadline: string | null;
  deadlineShown: string;
  leadUnits: string[];
  coUnits: string[];
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: string[];
  updated: { number: string; changes: Record<string, { from: unknown; to: unknown }> }[];
  unchanged: number;
  items: { row: number; number: string; kind: ItemKind; deadlineShown: string }[];
}

export function createImportService(deps: { sql: Sql; units: UnitService; items: ItemService }) {
  const { sql } = deps;

  async function check(campaign: { startDate: string }, file: Buffer): Promise<{ rows: ImportedRow[]; errors: RowError[] }> {
    const { headers, rows, encoding } = await readSpreadsheet(file);
    const errors: RowError[] = [];
    const col: Partial<Record<Column, string>> = {};
    for (const [key, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
      const h = headers.find((x) => names.some((n) => n.toLowerCase() === x.toLowerCase()));
      if (h) col[key] = h;
      else if (key !== 'category' && key !== 'coUnits') errors.push({ row: 1, column: names[0]!, value: '', reason: `missing column (one of: ${names.join(', ')})${encodingHint(encoding)}` });
    }
    if (errors.length) return { rows: [], errors };
    // Text PostgreSQL cannot store (NUL, lone surrogates, other control characters), or too long:
    // a row error here, so the dry run says what the real run would meet.
    for (const r of rows) {
      for (const [column, value] of Object.entries(r.cells)) {
        const problem = textProblem(value);
        const max = CELL_LIMITS[(Object.keys(col) as Column[]).find((k) => col[k] === column) ?? ''] ?? MAX_CELL_CHARS;
        if (problem) errors.push({ row: r.row, column, value: scrubText(value).slice(0, 200), reason: `${problem} (${INVALID_TEXT_MESSAGE_ZH})` });
        else if (value.length > max) errors.push({ row: r.row, column, value: value.slice(0, 200), reason: `longer than ${max} characters (${value.length}) (超过 ${max} 字的上限)` });
      }
    }
    if (errors.length) return { rows: [], errors };
    if (!rows.length) return { rows: [], errors: [{ row: 2, column: '', value: '', reason: 'the file has no rows' }] };

    const counties = (await sql<{ name: string }[]>`select name from units where kind = 'county' order by name`).map((r) => r.name);
    const cell = (r: SheetRow, c: Column) => (col[c] ? r.cells[col[c]!] ?? '' : '');
    const parsed = rows.map((r) => ({
      r,
      lead: expandCounties(splitUnitList(cell(r, 'leadUnits')), counties),
      co: expandCounties(splitUnitList(cell(r, 'coUnits')), counties),
    }));
    const known = await deps.units.resolve(parsed.flatMap((p) => [...p.lead, ...p.co]));

    const seen = new Map<string, number>();
    const out: ImportedRow[] = [];
    for (const { r, lead, co } of parsed) {
      const err = (c: Column, reason: string) => errors.push({ row: r.row, column: col[c] ?? COLUMNS[c][0], value: cell(r, c), reason });
      const number = cell(r, 'number');
      if (!number) err('number', 'a row needs a number');
      else if (seen.has(number)) err('number', `number "${number}" repeats row ${seen.get(number)}`);
      else seen.set(number, r.row);
      const content = cell(r, 'content');
      if (!content) err('content', 'a row needs content');
      if (!lead.length) err('leadUnits', 'a row needs at least one lead unit');
      const unknown = [...lead, ...co].filter((n) => !known.has(n));
      for (const n of unknown) err(lead.includes(n) ? 'leadUnits' : 'coUnits', `unknown unit "${n}": add it to the directory, or as an alias of the unit it means (单位目录中没有“${n}”：请先新增该单位，或将其添加为对应单位的简称)`);
      const d = resolveDeadlinePhrase(cell(r, 'deadline'), campaign);
      if ('error' in d) err('deadline', d.error);
      if (errors.some((e) => e.row === r.row) || 'error' in d) continue;
      const leadIds = [...new Set(lead.map((n) => known.get(n)!))];
      out.push({
        row: r.row,
        number,
        category: cell(r, 'category') || null,
        content,
        kind: d.kind,
        deadline: d.deadline,
        deadlineShown: d.shown,
        leadUnits: leadIds,
        coUnits: [...new Set(co.map((n) => known.get(n)!))].filter((id) => !leadIds.includes(id)),
      });
    }
    return { rows: out, errors };
  }

  return {
    COLUMNS,
    async run(campaignId: string, file: Buffer, by: Principal, opts: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<ImportReport> {
      const [campaign] = await sql<{ startDate: string }[]>`select start_date from campaigns where id = ${campaignId}`;
      if (!campaign) throw notFound('campaign', campaignId);
      const { rows, errors } = await check(campaign, file);
      if (errors.length) {
        throw new AppError(400, 'IMPORT_REJECTED', `${errors.length} problem(s) in the file; nothing was imported`, { errors });
      }
      const existing = new Map(
        (
          await sql<{ id: string; number: string; category: string | null; content: string; kind: ItemKind; deadline: string | null; lead: string[]; co: string[] }[]>`
            select i.id, i.number, i.category, i.content, i.kind, i.deadline,
                   array(select unit_id::text from item_units u where u.item_id = i.id and u.role = 'lead' order by unit_id) as lead,
                   array(select unit_id::text from item_units u where u.item_id = i.id and u.role = 'co' order by unit_id) as co
            from items i where i.campaign_id = ${campaignId}`
        ).map((r) => [r.number, r]),
      );
      const report: ImportReport = {
        dryRun: Boolean(opts.dryRun),
        rows: rows.length,
        created: [],
        updated: [],
        unchanged: 0,
        items: rows.map((r) => ({ row: r.row, number: r.number, kind: r.kind, deadlineShown: r.deadlineShown })),
      };
      const fresh = rows.filter((r) => !existing.has(r.number));
      report.created = fresh.map((r) => r.number);
      const sorted = (xs: string[]) => [...xs].sort();
      const updates: { id: string; row: ImportedRow; changes: ImportReport['updated'][number]['changes'] }[] = [];
      for (const r of rows) {
        const e = existing.get(r.number);
        if (!e) continue;
        const changes: ImportReport['updated'][number]['changes'] = {};
        if (e.content !== r.content) changes.content = { from: e.content, to: r.content };
        if (e.category !== r.category) changes.category = { from: e.category, to: r.category };
        if (e.deadline !== r.deadline) changes.deadline = { from: e.deadline, to: r.deadline };
        if (sorted(e.lead).join() !== sorted(r.leadUnits).join() || sorted(e.co).join() !== sorted(r.coUnits).join()) {
          changes.units = { from: { lead: e.lead, co: e.co }, to: { lead: r.leadUnits, co: r.coUnits } };
        }
        if (Object.keys(changes).length) updates.push({ id: e.id, row: r, changes });
        else report.unchanged++;
      }
      report.updated = updates.map((u) => ({ number: u.row.number, changes: u.changes }));
      if (opts.dryRun) return report;

      const total = fresh.length + updates.length;
      const BATCH = 200;
      // The whole import is one assignment batch (one 整改工作提醒函 per unit), written in chunks
      // and sealed after the last one.
      const assignment = { id: crypto.randomUUID(), sealed: false };
      for (let i = 0; i < fresh.length; i += BATCH) {
        const batch = fresh.slice(i, i + BATCH);
        await deps.items.create(
          campaignId,
          batch.map((r) => ({ number: r.number, category: r.category ?? undefined, content: r.content, kind: r.kind, deadline: r.deadline, leadUnits: r.leadUnits, coUnits: r.coUnits })),
          by,
          { batch: assignment },
        );
        opts.onProgress?.(i + batch.length, total);
      }
      if (fresh.length) await deps.items.sealBatch(assignment.id);
      let done = fresh.length;
      for (const u of updates) {
        // Definition fields are the office's words; deadline and units go through the workflow.
        if (u.changes.content || u.changes.category) await sql`update items set content = ${u.row.content}, category = ${u.row.category} where id = ${u.id}`;
        if (u.changes.units) await deps.items.act(u.id, 'reassign', { leadUnits: u.row.leadUnits, coUnits: u.row.coUnits }, by);
        if (u.changes.deadline && u.row.deadline) {
          await deps.items.act(u.id, 'changeDeadline', { newDeadline: u.row.deadline, reason: '导入的清单调整了整改时限' }, by);
          await sql`update items set deadline = ${u.row.deadline} where id = ${u.id}`;
        }
        opts.onProgress?.(++done, total);
      }
      return report;
    },
  };
}
export type ImportService = ReturnType<typeof createImportService>;
