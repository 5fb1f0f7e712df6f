/**
 * The import wizard (导入清单): upload a .xlsx or CSV list → the dry run's table, every row error
 * marked where it is (row, column, value, reason) → confirm, and the list is imported for real.
 */
import { html } from '../html';
import { csrfField, layout, type PageContext } from './layout';

export interface DryRun {
  rows: number;
  created: string[];
  updated: { number: string; changes: Record<string, { from: unknown; to: unknown }> }[];
  unchanged: number;
  items: { row: number; number: string; kind: string; deadlineShown: string }[];
}
export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
}

const KIND: Record<string, string> = { immediate: '立行立改', time_limited: '限期整改', long_term: '长期坚持' };
const COLUMN_LABEL: Record<string, string> = { number: '序号', category: '类别', content: '整改措施', leadUnits: '牵头单位', coUnits: '配合单位', deadline: '整改时限' };

function uploadForm(ctx: PageContext, campaignId: string) {
  return html`<form class="card upload" method="post" action="/campaigns/${campaignId}/import" enctype="multipart/form-data">
  ${csrfField(ctx)}
  <label>问题清单 / 任务清单（.xlsx 或 CSV）<small>表头：序号、类别、整改措施、牵头单位、配合单位、整改时限（如“10月底前”“立行立改”“长期坚持”）</small>
  <input type="file" name="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></label>
  <button type="submit">上传并检查</button>
</form>`;
}

export function importPage(
  ctx: PageContext,
  v: { campaign: { id: string; title: string }; fileName?: string; errors?: RowError[]; dryRun?: DryRun; uploadId?: string; message?: string },
) {
  const c = v.campaign;
  const steps = html`<ol class="steps"><li${!v.errors && !v.dryRun ? html` aria-current="step"` : ''}>上传清单</li><li${v.errors || v.dryRun ? html` aria-current="step"` : ''}>检查结果</li><li>确认导入</li></ol>`;
  let body = html``;
  if (v.errors) {
    const rows = [...new Set(v.errors.map((e) => e.row))];
    body = html`<section class="check bad-list">
<p class="flash error" role="alert">“${v.fileName ?? ''}”有 ${v.errors.length} 处问题（涉及 ${rows.length} 行），未导入任何内容。请在原文件中逐处修改后重新上传。</p>
<div class="scroll"><table class="errors">
<thead><tr><th>行</th><th>列</th><th>内容</th><th>问题</th></tr></thead>
<tbody>${v.errors.map(
      (e) => html`<tr data-row="${e.row}"><td>第${e.row}行</td><td>${COLUMN_LABEL[e.column] ?? e.column}</td><td class="cell-bad"><mark>${e.value || '（空）'}</mark></td><td>${e.reason}</td></tr>`,
    )}</tbody></table></div>
</section>
<h2>重新上传</h2>
${uploadForm(ctx, c.id)}`;
  } else if (v.dryRun && v.uploadId) {
    const d = v.dryRun;
    const created = new Set(d.created);
    const updated = new Map(d.updated.map((u) => [u.number, u]));
    body = html`<section class="check">
<p class="flash ok" role="status">“${v.fileName ?? ''}”检查通过：共 ${d.rows} 行，新增 ${d.created.length} 项，修改 ${d.updated.length} 项，未变 ${d.unchanged} 项。请核对整改时限的解读，确认后导入。</p>
<div class="scroll"><table class="preview">
<thead><tr><th>行</th><th>序号</th><th>类型</th><th>整改时限（解读）</th><th>导入后</th></tr></thead>
<tbody>${d.items.map((i) => {
      const u = updated.get(i.number);
      return html`<tr><td>${i.row}</td><td>${i.number}</td><td>${KIND[i.kind] ?? i.kind}</td><td>${i.deadlineShown}</td><td>${
        created.has(i.number) ? html`<span class="tag">新增</span>` : u ? html`<span class="tag">修改：${Object.keys(u.changes).map((k) => COLUMN_LABEL[k] ?? k).join('、')}</span>` : '未变'
      }</td></tr>`;
    })}</tbody></table></div>
<form method="post" action="/campaigns/${c.id}/import/${v.uploadId}/confirm" data-confirm="确认导入 ${d.created.length} 项新增、${d.updated.length} 项修改？" hx-confirm="确认导入 ${d.created.length} 项新增、${d.updated.length} 项修改？">
  ${csrfField(ctx)}<button type="submit">确认导入</button> <a href="/campaigns/${c.id}/import">重新上传</a>
</form>
</section>`;
  } else {
    body = html`${v.message ? html`<p class="flash error" role="alert">${v.message}</p>` : ''}${uploadForm(ctx, c.id)}`;
  }
  return layout(ctx, '导入清单', html`<p class="crumbs"><a href="/campaigns/${c.id}">${c.title}</a></p><h1>导入清单</h1>${steps}${body}`);
}
