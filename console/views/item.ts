/**
 * One item: what it is, its units and their parts, its deadline and light, the actions this
 * person may take (each a form with the reasons the API asks for), its letters, and its whole
 * timeline in Chinese.
 */
import crypto from 'node:crypto';
import type { ItemDto } from '../../api/routes/items/schemas';
import { ITEM_KIND_LABELS, type ItemAction } from '../../domain/item-lifecycle';
import { ACTION_FIELDS, CONFIRM, actionLabel, type Field } from '../actions';
import { ACCEPTED_EVIDENCE, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES } from '../../domain/evidence';
import { html, type Html } from '../html';
import { day, dateTime } from '../format';
import { asOfBanner, bar, csrfField, documentLinks, layout, light, type PageContext } from './layout';
import { dateOf } from '../../domain/time';

export interface ItemView {
  item: ItemDto & { history: { seq: number; label: string; occurredAt: string; actor: { name: string; role: string }; payload: Record<string, unknown> }[] };
  campaign: { id: string; title: string };
  actions: ItemAction[];
  letters: { id: string; docNumber: string; typeLabel: string; title: string; issuedOn: string; recipients: { unitName: string; role: string; receiptedAt: string | null }[] }[];
  files: { id: string; name: string; size: number; sha256: string; uploadedBy: string; createdAt: string }[];
  /** 回溯: the item as of this past day's close (no actions), or null for now. */
  asOf: string | null;
}

const WITH_FILES: ItemAction[] = ['reportProgress', 'submit'];
const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)}MB` : `${Math.max(1, Math.round(n / 1024))}KB`);

/** What an event said, beyond its label: the report's words and percent, reasons, new dates, files. */
function eventDetail(p: Record<string, unknown>): Html {
  const words = ['text', 'summary', 'reasons', 'reason', 'note'].map((k) => p[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const files = Array.isArray(p.files) ? (p.files as { id: string; name: string; sha256: string }[]) : [];
  const evidence = Array.isArray(p.evidence) ? (p.evidence as string[]).filter((e) => typeof e === 'string') : [];
  return html`${typeof p.percent === 'number' ? html` <b>${p.percent}%</b>` : ''}${words.length ? html`<br>${words.join('；')}` : ''}${
    typeof p.newDeadline === 'string' ? html`<br>时限：${p.newDeadline}` : ''
  }${evidence.length ? html`<br>佐证：${evidence.join('；')}` : ''}${files.map((f) => html`<br><span class="tag">附件</span> <a href="/evidence/${f.id}" hx-boost="false">${f.name}</a> <small class="muted" title="SHA-256">${f.sha256.slice(0, 12)}…</small>`)}`;
}

function field(f: Field): Html {
  switch (f.kind) {
    case 'yesno':
      return html`<fieldset><legend>${f.label}</legend><label class="inline"><input type="radio" name="${f.name}" value="yes" checked> ${f.yes}</label><label class="inline"><input type="radio" name="${f.name}" value="no"> ${f.no}</label></fieldset>`;
    case 'percent':
      return html`<label>${f.label}<input type="number" name="${f.name}" min="0" max="100" step="1" required inputmode="numeric"></label>`;
    case 'textarea':
      return html`<label>${f.label}${f.hint ? html`<small>${f.hint}</small>` : ''}<textarea name="${f.name}" rows="3" maxlength="10000"${f.required ? html` required` : ''}></textarea></label>`;
    case 'date':
      return html`<label>${f.label}<input type="date" name="${f.name}" min="1949-10-01" max="2100-12-31"${f.required ? html` required` : ''}></label>`;
    case 'text':
      return html`<label>${f.label}${f.hint ? html`<small>${f.hint}</small>` : ''}<input type="text" name="${f.name}" maxlength="2000"${f.required ? html` required` : ''}></label>`;
  }
}

function actionForm(ctx: PageContext, itemId: string, a: ItemAction): Html {
  const confirm = CONFIRM[a];
  return html`<details class="action" data-action="${a}">
<summary>${actionLabel(a)}</summary>
<form method="post" action="/items/${itemId}/act/${a}"${WITH_FILES.includes(a) ? html` enctype="multipart/form-data"` : ''}${confirm ? html` data-confirm="${confirm}" hx-confirm="${confirm}"` : ''}>
  ${csrfField(ctx)}
  <input type="hidden" name="_key" value="${crypto.randomUUID()}">
  ${ACTION_FIELDS[a].map(field)}
  ${
    WITH_FILES.includes(a)
      ? html`<label>佐证材料文件<small>${ACCEPTED_EVIDENCE}；每次最多${MAX_EVIDENCE_FILES}个，每个不超过${MAX_EVIDENCE_BYTES / 1024 / 1024}MB</small><input type="file" name="files" multiple accept="image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.dps,.ofd"></label>`
      : ''
  }
  <button type="submit">${actionLabel(a)}</button>
</form>
</details>`;
}

export function itemPage(ctx: PageContext, v: ItemView) {
  const i = v.item;
  const at = v.asOf ? `?asOf=${v.asOf}` : '';
  return layout(
    ctx,
    `第${i.number}项`,
    html`<p class="crumbs"><a href="/campaigns/${v.campaign.id}${at}">${v.campaign.title}</a> › <a href="/items?campaignId=${v.campaign.id}${v.asOf ? `&asOf=${v.asOf}` : ''}">事项</a></p>
${v.asOf ? asOfBanner(v.asOf, `/items/${i.id}`) : ''}
<h1>第${i.number}项 ${light(i.light, i.lightLabel)} <span class="status">${i.statusLabel}</span></h1>
<p class="content-full">${i.content}</p>
<dl class="facts">
  <dt>类型</dt><dd>${ITEM_KIND_LABELS[i.kind]}${i.category ? html` · ${i.category}` : ''}</dd>
  <dt>整改时限</dt><dd>${i.deadlineDate ? day(i.deadlineDate) : '长期坚持'}${i.overdueDays ? html` <span class="bad">已逾期${i.overdueDays}天</span>` : ''}</dd>
  <dt>整改进度</dt><dd>${bar(i.progressPercent)}</dd>
  ${i.pausedReason ? html`<dt>暂缓</dt><dd>${i.pausedReason}</dd>` : ''}
  ${i.pendingExtension ? html`<dt>延期申请</dt><dd>申请延期至${day(i.pendingExtension.newDeadline)}：${i.pendingExtension.reason}</dd>` : ''}
  ${i.lookBackAt ? html`<dt>回头看</dt><dd>${dateTime(i.lookBackAt)}${i.lookBackDue ? '（已到期）' : ''}</dd>` : ''}
</dl>

<section>
<h2>责任单位</h2>
<div class="scroll"><table>
<thead><tr><th>单位</th><th>职责</th><th>签收</th><th>报送次数</th><th>最近报送</th></tr></thead>
<tbody>${i.units.map(
      (u) => html`<tr><td>${u.name}</td><td>${u.role === 'lead' ? '牵头' : '配合'}</td><td>${u.acknowledged ? '已签收' : html`<span class="bad">未签收</span>`}</td><td>${u.reports}</td><td>${u.lastReportAt ? html`${dateTime(u.lastReportAt)}（${u.lastPercent ?? 0}%）` : '—'}</td></tr>`,
    )}</tbody></table></div>
</section>

${
  v.actions.length
    ? html`<section class="actions"><h2>办理</h2>${v.actions.map((a) => actionForm(ctx, i.id, a))}</section>`
    : ''
}

<section>
<h2>佐证材料</h2>
${v.files.length ? '' : html`<p class="empty">尚无佐证材料。</p>`}
<ul class="plain">${v.files.map(
      (f) => html`<li><span class="tag">附件</span> <a href="/evidence/${f.id}" hx-boost="false">${f.name}</a> <span class="muted">${size(f.size)} · ${f.uploadedBy} · ${dateTime(f.createdAt)}</span> <small class="muted" title="SHA-256 ${f.sha256}">SHA-256 ${f.sha256.slice(0, 16)}…</small></li>`,
    )}</ul>
</section>

<section>
<h2>函件</h2>
${v.letters.length ? '' : html`<p class="empty">尚无函件。</p>`}
<ul class="plain">${v.letters.map(
      (l) => html`<li><b>${l.typeLabel}</b> ${l.docNumber} <span class="muted">${day(l.issuedOn)}</span> ${documentLinks(l.id)}<br><small class="muted">${l.recipients
        .map((r) => `${r.unitName}${r.role === 'cc' ? '（抄送）' : ''}${r.receiptedAt && (!v.asOf || dateOf(r.receiptedAt) <= v.asOf) ? ' 已签收' : ' 未签收'}`)
        .join('；')}</small></li>`,
    )}</ul>
</section>

<section>
<h2>全过程记录</h2>
<ol class="timeline">${[...i.history].reverse().map(
      (e) => html`<li><time>${dateTime(e.occurredAt)}</time> <span>${e.label}</span> <small class="muted">${e.actor.name}</small>${eventDetail(e.payload)}</li>`,
    )}</ol>
</section>`,
  );
}
