/**
 * The ledger (台账) offices print and forward: one row per item and responsible unit, with
 * state, deadline, days late, light, the unit's acknowledgement, the last report and the notices
 * (reminders, letters) sent — as an .xlsx that opens in Excel and WPS.
 */
import ExcelJS from 'exceljs';
import { ITEM_KIND_LABELS, ITEM_STATUS_LABELS, isOpen, type ItemKind, type ItemStatus } from '../../domain/item-lifecycle';
import { LIGHT_LABELS, type Light } from '../../domain/lights';
import { LADDER_STEP_LABELS, type LadderStepName } from '../../domain/policy';
import { dateOf, daysBetween } from '../../domain/time';
import type { Sql } from '../../infra/db';
import { notFound } from '../errors';
import { viewAt } from './as-of';
import { neutraliseFormulas, withQuotePrefix } from './spreadsheet';

const HEADERS = ['序号', '类别', '整改措施', '类型', '责任单位', '单位角色', '是否签收', '状态', '整改时限', '逾期天数', '亮灯', '进度(%)', '最近报送', '已发督办'];

export function createLedgerService({ sql, clock = Date.now }: { sql: Sql; clock?: () => number }) {
  return {
    /** The ledger now, or as it stood at a past instant (回溯: from the audit trail). */
    async xlsx(campaignId: string, asOf?: number): Promise<{ file: Buffer; filename: string }> {
      const [campaign] = await sql<{ title: string }[]>`select title from campaigns where id = ${campaignId}`;
      if (!campaign) throw notFound('campaign', campaignId);
      const view = viewAt(sql, clock, asOf);
      const rows = await sql<{
        number: string; category: string | null; content: string; kind: ItemKind; unitName: string; role: string; acknowledged: boolean;
        status: ItemStatus; deadlineDate: string | null; light: Light; progressPercent: number; lastReportAt: string | null; steps: string[] | null;
      }[]>`
        select i.number, i.category, i.content, i.kind, u.name as unit_name, iu.role,
               iu.unit_id = any(st.acknowledged_units) as acknowledged, st.status, st.light,
               -- not yet planned by its workflow (just imported): the date as written
               coalesce(st.deadline_date::text, case when i.deadline ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then i.deadline end) as deadline_date,
               st.progress_percent, st.last_report_at,
               (select array_agg(coalesce(s.ladder_step, s.kind) order by s.planned_at) from item_steps s
                 where s.item_id = i.id and s.status = 'sent' and s.kind in ('ladder', 'reminder') and ${view.stepFired}) as steps
        from items i ${view.states} ${view.units} join units u on u.id = iu.unit_id
        where i.campaign_id = ${campaignId}
        order by i.ord, iu.role desc, u.name`;
      const today = view.today;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('整改台账');
      ws.addRow([`${campaign.title} 整改台账（${view.past ? `回溯至 ${today}` : today}）`]).font = { bold: true, size: 14 };
      ws.addRow(HEADERS).font = { bold: true };
      ws.columns = [8, 24, 60, 10, 22, 8, 8, 8, 12, 8, 6, 8, 12, 30].map((width) => ({ width }));
      for (const r of rows) {
        const late = isOpen(r.status) && r.deadlineDate && r.deadlineDate < today ? daysBetween(r.deadlineDate, today) : 0;
        ws.addRow([
          r.number, r.category ?? '', r.content, ITEM_KIND_LABELS[r.kind], r.unitName, r.role === 'lead' ? '牵头' : '配合',
          r.acknowledged ? '是' : '否', ITEM_STATUS_LABELS[r.status], r.deadlineDate ?? '长期坚持', late, LIGHT_LABELS[r.light],
          r.progressPercent, r.lastReportAt ? dateOf(r.lastReportAt) : '',
          (r.steps ?? []).map((s) => LADDER_STEP_LABELS[s as LadderStepName] ?? '到期提醒').join('、'),
        ]);
      }
      // Text an office or a unit wrote ("=HYPERLINK(…)", "-5") stays text when opened and edited.
      neutraliseFormulas(ws);
      return { file: await withQuotePrefix(Buffer.from(await wb.xlsx.writeBuffer())), filename: `ledger-${view.past ? 'as-of-' : ''}${today}.xlsx` };
    },
  };
}
