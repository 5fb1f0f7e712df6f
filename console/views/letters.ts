/**
 * 函件: the letters this person may see (the office: all; a unit: those addressed or copied to
 * it), each with its number, type, date, who has signed for it, deliveries and downloads; a unit
 * signs from here. And 收件箱: the notices of the office or the unit.
 */
import crypto from 'node:crypto';
import type { LetterDto } from '../../api/routes/letters/schemas';
import { LETTER_TYPES, LETTER_TYPE_LABELS } from '../../domain/letters/types';
import { html } from '../html';
import { day, dateTime } from '../format';
import { csrfField, documentLinks, layout, type PageContext } from './layout';

/** A letter as the API lists it. */
export type LetterRow = LetterDto;

const STATUS: [string, string][] = [
  ['awaiting_receipt', '待签收'],
  ['receipt_overdue', '逾期未签收'],
  ['delivery_failed', '送达失败'],
];

export function lettersPage(ctx: PageContext, v: { letters: LetterRow[]; next: string | null; filters: { type?: string; status?: string } }) {
  const unitId = ctx.principal.role === 'unit' ? ctx.principal.unitId : undefined;
  const f = v.filters;
  const nextQ = new URLSearchParams(Object.entries(f).filter(([, x]) => x) as [string, string][]);
  if (v.next) nextQ.set('after', v.next);
  return layout(
    ctx,
    '函件',
    html`<h1>函件${unitId || ctx.principal.role !== 'office' ? '' : html` <a class="button secondary" href="/deliveries">投递记录</a>`}</h1>
<form class="filters" method="get" action="/letters">
  <label>类型<select name="type"><option value="">全部</option>${LETTER_TYPES.map((t) => html`<option value="${t}"${f.type === t ? html` selected` : ''}>${LETTER_TYPE_LABELS[t]}</option>`)}</select></label>
  <label>状态<select name="status"><option value="">全部</option>${STATUS.map(([s, l]) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${l}</option>`)}</select></label>
  <button type="submit">筛选</button>
</form>
${v.letters.length ? '' : html`<p class="empty">没有函件。</p>`}
<div class="scroll"><table class="letters">
<thead><tr><th>发文字号</th><th>类型</th><th>标题</th><th>成文日期</th><th>签收</th>${unitId ? '' : html`<th>送达</th>`}<th>文件</th></tr></thead>
<tbody>${v.letters.map((l) => {
      const mine = unitId ? l.recipients.find((r) => r.unitId === unitId) : undefined;
      return html`<tr>
<td>${l.docNumber}</td><td>${l.typeLabel}</td><td>${l.title}</td><td>${day(l.issuedOn)}</td>
<td>${l.recipients.map(
        (r) =>
          html`<span class="${r.receiptedAt ? '' : r.overdueAt ? 'bad' : 'muted'}">${r.unitName}${r.role === 'cc' ? '（抄送）' : ''}${r.receiptedAt ? ' 已签收' : r.overdueAt ? ' 逾期未签收' : ' 未签收'}</span><br>`,
      )}${
        mine && !mine.receiptedAt
          ? html`<form class="inline" method="post" action="/letters/${l.id}/receipt">${csrfField(ctx)}<input type="hidden" name="_key" value="${crypto.randomUUID()}"><button type="submit">签收</button></form>`
          : ''
      }</td>
${unitId ? '' : html`<td>${l.deliveries.sent + l.deliveries.receipted}/${l.deliveries.total}${l.deliveries.failed ? html` <span class="bad">失败${l.deliveries.failed}</span>` : ''}</td>`}
<td>${documentLinks(l.id)}</td>
</tr>`;
    })}</tbody></table></div>
${v.next ? html`<p class="pager"><a class="button" href="/letters?${nextQ.toString()}">下一页</a></p>` : ''}`,
  );
}

export interface Notice {
  id: string;
  title: string;
  body: string;
  itemId: string | null;
  letterId: string | null;
  createdAt: string;
  readAt: string | null;
}

export function inboxPage(ctx: PageContext, v: { notices: Notice[]; unread: number; next: string | null }) {
  return layout(
    ctx,
    '收件箱',
    html`<h1>收件箱 <span class="count">${v.unread}</span></h1>
${v.notices.length ? '' : html`<p class="empty">没有消息。</p>`}
<ul class="plain inbox">${v.notices.map(
      (n) => html`<li class="${n.readAt ? 'read' : 'unread'}">
<b>${n.title}</b> <span class="muted">${dateTime(n.createdAt)}</span><br>${n.body}
${n.itemId ? html` <a href="/items/${n.itemId}">查看事项</a>` : ''}${n.letterId ? html` ${documentLinks(n.letterId)}` : ''}
${n.readAt ? '' : html`<form class="inline" method="post" action="/inbox/${n.id}/read">${csrfField(ctx)}<button type="submit" class="link">标为已读</button></form>`}
</li>`,
    )}</ul>
${v.next ? html`<p class="pager"><a class="button" href="/inbox?after=${v.next}">更早的消息</a></p>` : ''}`,
  );
}
