/**
 * A dispatch sheet (调度表) or an evaluation (考评) as the office reads it on paper: its period, the
 * totals, then every unit ranked with its rating and the reasons, what it owed and reported, what
 * it closed and what is overdue (by number), and its progress against 序时进度.
 */
import type { z } from 'zod';
import type { evaluationSchema, sheetSchema } from '../../api/routes/dispatch/schemas';
import { html } from '../html';
import { closingDay, day, percent } from '../format';
import { layout, type PageContext } from './layout';

export type SheetDto = z.infer<typeof sheetSchema>;
export type EvaluationDto = z.infer<typeof evaluationSchema>;

const RATING_CLASS: Record<string, string> = { good: 'ok', fair: 'muted', poor: 'bad' };
const numbers = (list: string[]) => (list.length ? html`<small class="muted">（${list.join('、')}）</small>` : '');

export function sheetPage(ctx: PageContext, v: { campaign: { id: string; title: string }; sheet: SheetDto; last: number }) {
  const s = v.sheet;
  const t = s.totals;
  return layout(
    ctx,
    `第${s.seq}期调度表`,
    html`<p class="crumbs"><a href="/">专项行动</a> › <a href="/campaigns/${v.campaign.id}">${v.campaign.title}</a></p>
<h1>第${s.seq}期调度表</h1>
<p class="muted">${day(s.periodStart)}至${closingDay(s.periodEnd)} · 政策版本 ${s.policyVersion}</p>
<nav class="steps">${s.seq > 1 ? html`<a class="button secondary" href="/campaigns/${v.campaign.id}/sheets/${s.seq - 1}">上一期</a>` : ''}${
      s.seq < v.last ? html` <a class="button secondary" href="/campaigns/${v.campaign.id}/sheets/${s.seq + 1}">下一期</a>` : ''
    }</nav>
<div class="figures big">
  <span class="fig"><b>${t.items}</b>事项</span>
  <span class="fig"><b>${t.closed}</b>已销号</span>
  <span class="fig"><b>${percent(t.completionRate)}</b>完成率</span>
  <span class="fig"><b>${percent(t.progress)}</b>平均进度${t.target === null ? '' : html`<small>序时${percent(t.target)}</small>`}</span>
  <span class="fig ${t.overdue ? 'bad' : ''}"><b>${t.overdue}</b>逾期</span>
  <span class="fig ${t.notReported ? 'bad' : ''}"><b>${t.notReported}</b>未报送（项次）</span>
  <span class="fig"><b>${t.ratings.good}/${t.ratings.fair}/${t.ratings.poor}</b>好/中/差</span>
</div>
<div class="scroll"><table class="ranking">
<thead><tr><th>名次</th><th>单位</th><th>评定</th><th>事项</th><th>本期到期</th><th>应报/已报</th><th>未报送</th><th>已销号（按期/逾期）</th><th>逾期未完成</th><th>完成率</th><th>进度/序时</th></tr></thead>
<tbody>${s.units.map(
      (u) => html`<tr>
<td>${u.rank}</td><td>${u.name}</td>
<td><span class="${RATING_CLASS[u.rating] ?? ''}">${u.ratingLabel}</span>${u.reasons.length ? html`<br><small class="muted">${u.reasons.join('；')}</small>` : ''}</td>
<td>${u.items}</td><td>${u.dueInPeriod}</td><td>${u.toReport}/${u.reported}</td>
<td class="${u.notReported ? 'bad' : ''}">${u.notReported}${numbers(u.notReportedItems)}</td>
<td>${u.closed}（${u.closedOnTime}/${u.closedLate}）</td>
<td class="${u.overdue ? 'bad' : ''}">${u.overdue}${numbers(u.overdueItems)}</td>
<td>${percent(u.completionRate)}</td><td>${percent(u.progress)} / ${percent(u.target)}</td>
</tr>`,
    )}</tbody></table></div>`,
  );
}

export function evaluationPage(ctx: PageContext, v: { campaign: { id: string; title: string }; evaluation: EvaluationDto; last: number }) {
  const e = v.evaluation;
  return layout(
    ctx,
    `第${e.seq}次考评`,
    html`<p class="crumbs"><a href="/">专项行动</a> › <a href="/campaigns/${v.campaign.id}">${v.campaign.title}</a></p>
<h1>第${e.seq}次考评</h1>
<p class="muted">${day(e.periodStart)}至${closingDay(e.periodEnd)} · 依据第${e.sheetSeqs.join('、')}期调度表 · 政策版本 ${e.policyVersion}</p>
<nav class="steps">${e.seq > 1 ? html`<a class="button secondary" href="/campaigns/${v.campaign.id}/evaluations/${e.seq - 1}">上一次</a>` : ''}${
      e.seq < v.last ? html` <a class="button secondary" href="/campaigns/${v.campaign.id}/evaluations/${e.seq + 1}">下一次</a>` : ''
    }</nav>
<div class="figures big"><span class="fig"><b>${e.totals.units}</b>参评单位</span><span class="fig"><b>${e.totals.ratings.good}/${e.totals.ratings.fair}/${e.totals.ratings.poor}</b>好/中/差</span></div>
<div class="scroll"><table class="ranking">
<thead><tr><th>名次</th><th>单位</th><th>评定</th><th>各期评定（好/中/差）</th><th>应报送</th><th>未报送</th><th>逾期未完成</th><th>完成率</th><th>进度/序时</th></tr></thead>
<tbody>${e.units.map(
      (u) => html`<tr>
<td>${u.rank}</td><td>${u.name}</td>
<td><span class="${RATING_CLASS[u.rating] ?? ''}">${u.ratingLabel}</span>${u.reasons.length ? html`<br><small class="muted">${u.reasons.join('；')}</small>` : ''}</td>
<td>${u.sheetRatings.good}/${u.sheetRatings.fair}/${u.sheetRatings.poor}（共${u.periods}期）</td>
<td>${u.toReport}</td><td class="${u.notReported ? 'bad' : ''}">${u.notReported}</td>
<td class="${u.overdue ? 'bad' : ''}">${u.overdue}${numbers(u.overdueItems)}</td>
<td>${percent(u.completionRate)}</td><td>${percent(u.progress)} / ${percent(u.target)}</td>
</tr>`,
    )}</tbody></table></div>`,
  );
}
