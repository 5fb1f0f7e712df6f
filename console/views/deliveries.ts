/**
 * 投递记录 (the office): every letter × recipient × channel with its state — failed ones first by
 * default, because each is a letter the office must now deliver another way (phone, 机要 mail) —
 * and the channels of one unit, which the office keeps.
 */
import type { z } from 'zod';
import type { deliverySchema } from '../../api/routes/letters/schemas';
import { CHANNEL_KINDS } from '../../delivery/types';
import { html } from '../html';
import { dateTime } from '../format';
import { csrfField, layout, type PageContext } from './layout';

export type DeliveryRow = z.infer<typeof deliverySchema>;

export const CHANNEL_LABELS: Record<DeliveryRow['channel'], string> = { inbox: '站内收件箱', email: '电子邮件', webhook: 'Webhook', wecom: '企业微信机器人', dingtalk: '钉钉机器人', feishu: '飞书机器人' };
export const STATUS_LABELS: Record<DeliveryRow['status'], string> = { intended: '待发送', sending: '发送中', sent: '已送达', receipted: '已签收', failed: '发送失败' };

export function deliveriesPage(ctx: PageContext, v: { deliveries: DeliveryRow[]; next: string | null; filters: { status?: string; channel?: string } }) {
  const f = v.filters;
  // Every filter goes into the next page's link, an empty status too: without it the page means "failed".
  const nextQ = new URLSearchParams({ status: f.status ?? '', ...(f.channel ? { channel: f.channel } : {}), ...(v.next ? { after: v.next } : {}) });
  return layout(
    ctx,
    '投递记录',
    html`<p class="crumbs"><a href="/letters">函件</a></p>
<h1>投递记录</h1>
<p class="muted">每封函件对每个收文单位、每个渠道的送达情况。“发送失败”的须改用电话、机要交换等方式送达；“可能重复”表示系统故障恢复后重发过，对方可能收到两份（邮件编号相同）。</p>
<form class="filters" method="get" action="/deliveries">
  <label>状态<select name="status"><option value="">全部</option>${Object.entries(STATUS_LABELS).map(([s, l]) => html`<option value="${s}"${f.status === s ? html` selected` : ''}>${l}</option>`)}</select></label>
  <label>渠道<select name="channel"><option value="">全部</option>${Object.entries(CHANNEL_LABELS).map(([s, l]) => html`<option value="${s}"${f.channel === s ? html` selected` : ''}>${l}</option>`)}</select></label>
  <button type="submit">筛选</button>
</form>
${v.deliveries.length ? '' : html`<p class="empty">${f.status === 'failed' ? '没有发送失败的函件。' : '没有投递记录。'}</p>`}
<div class="scroll"><table>
<thead><tr><th>发文字号</th><th>收文单位</th><th>渠道</th><th>地址</th><th>状态</th><th>尝试</th><th>时间</th><th>原因</th></tr></thead>
<tbody>${v.deliveries.map(
      (d) => html`<tr>
<td>${d.docNumber ?? '—'}${d.letterId ? html` <a href="/letters/${d.letterId}/document.pdf" hx-boost="false">PDF</a>` : ''}</td>
<td>${d.unitName}${d.role === 'cc' ? '（抄送）' : ''}</td>
<td>${CHANNEL_LABELS[d.channel] ?? d.channel}</td>
<td><small>${d.address}</small></td>
<td class="${d.status === 'failed' ? 'bad' : ''}">${STATUS_LABELS[d.status]}${d.possiblyDuplicated ? html` <span class="tag">可能重复</span>` : ''}</td>
<td>${d.attempts}</td>
<td>${dateTime(d.failedAt ?? d.receiptedAt ?? d.sentAt ?? d.intendedAt)}</td>
<td><small>${d.lastError ?? ''}</small></td>
</tr>`,
    )}</tbody></table></div>
${v.next ? html`<p class="pager"><a class="button" href="/deliveries?${nextQ.toString()}">下一页</a></p>` : ''}`,
  );
}

/** The API's bound on a unit's channels: the form never offers a row past it. */
export const MAX_CHANNELS = 20;

/**
 * One unit's channels as rows of a form, with up to two empty ones to add (never past the API's
 * bound); an empty address drops a row. Shown again after a refusal exactly as typed, blank rows
 * included, so "第N行" is the row the person sees.
 */
export function channelsPage(ctx: PageContext, v: { unit: { id: string; name: string }; channels: { channel: string; address: string; label: string | null; enabled: boolean }[]; error?: string; asTyped?: boolean }) {
  const blanks = v.asTyped ? 0 : Math.max(0, Math.min(2, MAX_CHANNELS - v.channels.length));
  const rows = [...v.channels, ...Array.from({ length: blanks }, () => ({ channel: 'email', address: '', label: null, enabled: true }))];
  return layout(
    ctx,
    `${v.unit.name} · 送达渠道`,
    html`<p class="crumbs"><a href="/units">单位</a></p>
<h1>${v.unit.name} · 送达渠道</h1>
<p class="muted">函件总会送到单位的站内收件箱；这里另设电子邮件或群机器人，印发时同时推送。清空地址即删除该渠道。</p>
${v.error ? html`<p class="flash error" role="alert">${v.error}</p>` : ''}
<form class="card" method="post" action="/units/${v.unit.id}/channels">
${csrfField(ctx)}
<div class="scroll"><table>
<thead><tr><th>#</th><th>渠道</th><th>地址</th><th>说明</th><th>启用</th></tr></thead>
<tbody>${rows.map(
      (r, i) => html`<tr>
<td>${i + 1}</td>
<td><select name="channel_${i}" aria-label="第${i + 1}行渠道">${CHANNEL_KINDS.map((k) => html`<option value="${k}"${r.channel === k ? html` selected` : ''}>${CHANNEL_LABELS[k]}</option>`)}</select></td>
<td><input type="text" name="address_${i}" value="${r.address}" maxlength="2000" aria-label="第${i + 1}行地址" placeholder="邮箱，或 https:// 开头的机器人地址"></td>
<td><input type="text" name="label_${i}" value="${r.label ?? ''}" maxlength="100" aria-label="第${i + 1}行说明" placeholder="如：办公室收文邮箱"></td>
<td><input type="checkbox" name="enabled_${i}" value="1"${r.enabled ? html` checked` : ''} aria-label="第${i + 1}行启用"></td>
</tr>`,
    )}</tbody></table></div>
<input type="hidden" name="rows" value="${rows.length}">
<button type="submit">保存</button>
</form>`,
  );
}
