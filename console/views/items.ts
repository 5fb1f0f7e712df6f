/** 事项: the item list with the API's filters and paging, as a table that reads on a phone too. */
import type { ItemDto } from '../../api/routes/items/schemas';
import { ITEM_STATUSES, ITEM_STATUS_LABELS } from '../../domain/item-lifecycle';
import { LIGHTS, LIGHT_LABELS } from '../../domain/lights';
import { html, type Html } from '../html';
import { day } from '../format';
import { asOfBanner, asOfPicker, bar, layout, light, type PageContext } from './layout';

export interface ItemFilters {
  campaignId?: string;
  unitId?: string;
  status?: string;
  light?: string;
  overdue?: string;
  dueWithinDays?: string;
}

/** `asOf`: the rows of a 回溯 list link to the items as of the same day. */
export function itemRows(items: ItemDto[], asOf: string | null = null): Html {
  const at = asOf ? `?asOf=${asOf}` : '';
  return html`${items.map(
    (i) => html`<tr>
<td>${light(i.light, i.lightLabel)}</td>
<td><a href="/items/${i.id}${at}">${i.number}</a></td>
<td class="content"><a href="/items/${i.id}${at}">${i.content}</a></td>
<td>${i.units.filter((u) => u.role === 'lead').map((u) => u.name).join('、')}</td>
<td>${i.deadlineDate ? day(i.deadlineDate) : '长期坚持'}${i.overdueDays ? html`<br><span class="bad">逾期${i.overdueDays}天</span>` : ''}</td>
<td>${i.statusLabel}</td>
<td>${bar(i.progressPercent)}</td>
</tr>`,
  )}`;
}

export const itemTable = (items: ItemDto[], asOf: string | null = null): Html =>
  html`<div class="scroll"><table class="items">
<thead><tr><th>灯</th><th>序号</th><th>整改事项</th><th>牵头单位</th><th>整改时限</th><th>状态</th><th>进度</th></tr></thead>
<tbody>${itemRows(items, asOf)}</tbody></table></div>`;

export function itemsPage(
  ctx: PageContext,
  v: { items: ItemDto[]; nextCursor: number | null; filters: ItemFilters; asOf: string | null; campaigns: { id: string; title: string }[]; units: { id: string; name: string }[] },
) {
  const f = v.filters;
  const select = (name: keyof ItemFilters, label: string, options: [string, string][]) =>
    html`<label>${label}<select name="${name}"><option value="">全部</option>${options.map(([value, text]) => html`<option value="${value}"${f[name] === value ? html` selected` : ''}>${text}</option>`)}</select></label>`;
  const next = new URLSearchParams(Object.entries(f).filter(([, x]) => x) as [string, string][]);
  if (v.nextCursor !== null) next.set('after', String(v.nextCursor));
  if (v.asOf) next.set('asOf', v.asOf);
  const current = new URLSearchParams(Object.entries(f).filter(([, x]) => x) as [string, string][]);
  return layout(
    ctx,
    '事项',
    html`${v.asOf ? asOfBanner(v.asOf, `/items${current.size ? `?${current}` : ''}`) : ''}
<h1>整改事项</h1>
<form class="filters" method="get" action="/items">
  ${v.asOf ? html`<input type="hidden" name="asOf" value="${v.asOf}">` : ''}
  ${select('campaignId', '专项行动', v.campaigns.map((c) => [c.id, c.title]))}
  ${select('unitId', '责任单位', v.units.map((u) => [u.id, u.name]))}
  ${select('status', '状态', ITEM_STATUSES.map((s) => [s, ITEM_STATUS_LABELS[s]]))}
  ${select('light', '灯', LIGHTS.map((l) => [l, LIGHT_LABELS[l]]))}
  ${select('overdue', '逾期', [['true', '已逾期'], ['false', '未逾期']])}
  <label>到期<select name="dueWithinDays"><option value="">不限</option>${['3', '7', '30'].map((d) => html`<option value="${d}"${f.dueWithinDays === d ? html` selected` : ''}>${d}天内</option>`)}</select></label>
  <button type="submit">筛选</button>
</form>
${asOfPicker('/items', v.asOf, Object.fromEntries(current))}
${v.items.length ? itemTable(v.items, v.asOf) : html`<p class="empty">${v.asOf ? '当日没有符合条件的事项。' : '没有符合条件的事项。'}</p>`}
${v.nextCursor !== null ? html`<p class="pager"><a class="button" href="/items?${next.toString()}">下一页</a></p>` : ''}`,
  );
}
