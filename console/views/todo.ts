/** 我的待办 (a unit's liaison): what to sign for, to report, due soon, overdue, letters to sign for. */
import crypto from 'node:crypto';
import type { ItemDto } from '../../api/routes/items/schemas';
import { html } from '../html';
import { day } from '../format';
import { csrfField, documentLinks, layout, type PageContext } from './layout';
import { itemTable } from './items';

const SHOWN = 50;

export interface TodoView {
  unitId: string;
  toAcknowledge: ItemDto[];
  toReport: ItemDto[];
  dueSoon: ItemDto[];
  overdue: ItemDto[];
  letters: { id: string; docNumber: string; typeLabel: string; title: string; issuedOn: string; receiptDueAt: string | null }[];
}

export function todoPage(ctx: PageContext, v: TodoView) {
  // A phone shows the first rows of a long list; where the item list has the very same filter, it
  // pages through the rest (signing for and reporting are judged per unit, which it cannot filter).
  const section = (title: string, items: ItemDto[], empty: string, id: string, all?: string) =>
    html`<section id="${id}"><h2>${title} <span class="count">${items.length}</span></h2>${items.length ? itemTable(items.slice(0, SHOWN)) : html`<p class="empty">${empty}</p>`}${
      items.length > SHOWN
        ? all
          ? html`<p class="pager"><a class="button secondary" href="${all}">查看全部${items.length}项</a></p>`
          : html`<p class="muted">仅列出前${SHOWN}项，办理后刷新可见其余事项。</p>`
        : ''
    }</section>`;
  const list = (q: string) => `/items?unitId=${v.unitId}${q}`;
  return layout(
    ctx,
    '我的待办',
    html`<h1>我的待办</h1>
<div class="figures big">
  <a class="fig" href="#ack"><b>${v.toAcknowledge.length}</b>待签收</a>
  <a class="fig" href="#report"><b>${v.toReport.length}</b>待报送</a>
  <a class="fig" href="#soon"><b>${v.dueSoon.length}</b>即将到期</a>
  <a class="fig ${v.overdue.length ? 'bad' : ''}" href="#overdue"><b>${v.overdue.length}</b>已逾期</a>
  <a class="fig" href="#letters"><b>${v.letters.length}</b>待签收函件</a>
</div>
${section('待签收事项', v.toAcknowledge, '没有待签收的事项。', 'ack')}
${section('待报送进展', v.toReport, '没有待报送的事项。', 'report')}
${section('即将到期（3天内）', v.dueSoon, '近期没有到期的事项。', 'soon', list('&dueWithinDays=3'))}
${section('已逾期', v.overdue, '没有逾期事项。', 'overdue', list('&overdue=true'))}
<section id="letters"><h2>待签收函件 <span class="count">${v.letters.length}</span></h2>
${v.letters.length ? '' : html`<p class="empty">没有待签收的函件。</p>`}
<ul class="plain">${v.letters.map(
      (l) => html`<li><b>${l.typeLabel}</b> ${l.docNumber} ${l.title} <span class="muted">${day(l.issuedOn)}${l.receiptDueAt ? html`，请于${day(l.receiptDueAt)}前签收` : ''}</span> ${documentLinks(l.id)}
<form class="inline" method="post" action="/letters/${l.id}/receipt">${csrfField(ctx)}<input type="hidden" name="_key" value="${crypto.randomUUID()}"><button type="submit">签收</button></form></li>`,
    )}</ul>
</section>`,
  );
}
