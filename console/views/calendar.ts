/**
 * 工作日历 (the office): the calendar versions; a year's State Council notice pasted as text, read
 * back for checking (domain/holiday-notice.ts), loaded as a draft; which open items a draft would
 * move and by how much; activation.
 */
import { html } from '../html';
import { day, dateTime } from '../format';
import { csrfField, keyField, layout, type PageContext } from './layout';
import type { ParsedNotice } from '../../domain/holiday-notice';

export interface Version {
  version: number;
  name: string;
  source: string;
  status: 'draft' | 'active' | 'retired';
  years: number[];
  createdAt: string;
  activatedAt: string | null;
}
export interface Effect {
  from: number;
  to: number;
  signalled?: number;
  items: { itemId: string; number: string; deadlineBefore: string | null; deadlineAfter: string | null; deadlineShiftDays: number; stepsMoved: unknown[] }[];
}

const STATUS: Record<Version['status'], string> = { draft: '草稿', active: '生效中', retired: '已停用' };

export function calendarPage(
  ctx: PageContext,
  v: { versions: Version[]; canWrite: boolean; form?: { name: string; year: string; text: string }; parsed?: ParsedNotice; effect?: { version: number; effect: Effect; activated: boolean } },
) {
  const form = v.form ?? { name: '', year: String(new Date().getFullYear() + 1), text: '' };
  return layout(
    ctx,
    '工作日历',
    html`<h1>工作日历</h1>
<p class="muted">整改时限、提醒和催办按国务院公布的节假日安排（含调休上班日）计算。每年11月前后公布次年安排后，在此载入并生效。</p>
<div class="scroll"><table class="versions">
<thead><tr><th>版本</th><th>名称</th><th>年份</th><th>状态</th><th>载入时间</th>${v.canWrite ? html`<th></th>` : ''}</tr></thead>
<tbody>${v.versions.map(
      (x) => html`<tr><td>${x.version}</td><td>${x.name}</td><td>${x.years.join('、')}</td><td>${STATUS[x.status]}${x.activatedAt ? html`<br><small class="muted">${dateTime(x.activatedAt)}</small>` : ''}</td><td>${dateTime(x.createdAt)}</td>${
        v.canWrite ? html`<td>${x.status === 'draft' ? html`<a href="/calendar/${x.version}/preview">预览影响并生效</a>` : ''}</td>` : ''
      }</tr>`,
    )}</tbody></table></div>
${v.effect ? effectSection(ctx, v.effect) : ''}
${
  v.canWrite
    ? html`<section>
<h2>载入节假日安排</h2>
<form class="card upload" method="post" action="/calendar/notice">
  ${csrfField(ctx)}${keyField()}
  <label>通知名称<input name="name" required maxlength="200" value="${form.name}" placeholder="国务院办公厅关于2027年部分节假日安排的通知"></label>
  <label>年份<input name="year" type="number" min="2000" max="2100" required value="${form.year}"></label>
  <label>通知正文<small>粘贴“一、元旦：……放假调休……上班。”各段即可</small><textarea name="text" rows="10" required maxlength="20000">${form.text}</textarea></label>
  <button type="submit" name="step" value="check">读取并核对</button>
  ${v.parsed && !v.parsed.problems.length ? html`<button type="submit" name="step" value="load">确认载入为草稿</button>` : ''}
</form>
${v.parsed ? parsedSection(v.parsed) : ''}
</section>`
    : ''
}`,
  );
}

function parsedSection(p: ParsedNotice) {
  return html`<div class="card">
${p.problems.length ? html`<p class="flash error" role="alert">${p.problems.join('；')}</p>` : html`<p class="flash ok" role="status">已读出 ${p.holidays.length} 个节日、${p.workdays.length} 个调休上班日，请核对后确认载入。</p>`}
<table class="parsed"><thead><tr><th>节日</th><th>放假</th><th>调休上班</th></tr></thead><tbody>${p.holidays.map(
    (hol) =>
      html`<tr><td>${hol.name}</td><td>${day(hol.from)}${hol.to ? html`至${day(hol.to)}` : ''}</td><td>${p.workdays
        .filter((w) => w.name === hol.name)
        .map((w) => day(w.date))
        .join('、') || '—'}</td></tr>`,
  )}</tbody></table></div>`;
}

function effectSection(ctx: PageContext, e: { version: number; effect: Effect; activated: boolean }) {
  const moved = e.effect.items.filter((i) => i.deadlineShiftDays !== 0 || i.stepsMoved.length);
  return html`<section class="card">
<h2>${e.activated ? `版本${e.version}已生效` : `版本${e.version}生效后的影响`}</h2>
<p>${e.activated ? html`已通知 ${e.effect.signalled ?? 0} 个在办事项按新日历重新安排；` : ''}整改时限变动的事项 ${moved.filter((i) => i.deadlineShiftDays !== 0).length} 项，提醒或催办时间变动的事项 ${moved.length} 项。</p>
${
  moved.length
    ? html`<div class="scroll"><table><thead><tr><th>事项</th><th>原时限</th><th>新时限</th><th>变动</th></tr></thead><tbody>${moved.map(
        (i) =>
          html`<tr><td><a href="/items/${i.itemId}">第${i.number}项</a></td><td>${day(i.deadlineBefore)}</td><td>${day(i.deadlineAfter)}</td><td>${i.deadlineShiftDays ? `${i.deadlineShiftDays > 0 ? '推后' : '提前'}${Math.abs(i.deadlineShiftDays)}天` : '仅提醒时间'}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
${
  e.activated
    ? ''
    : html`<form method="post" action="/calendar/${e.version}/activate" data-confirm="确认启用版本${e.version}？所有在办事项将按新日历重新安排。" hx-confirm="确认启用版本${e.version}？所有在办事项将按新日历重新安排。">${csrfField(ctx)}<button type="submit">确认生效</button></form>`
}
</section>`;
}
