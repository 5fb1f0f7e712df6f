/**
 * A campaign: its figures, the units ranked (on-time rate, overdue, days late, lights, the latest
 * rating and listing), progress against 序时进度 over the periods (a chart), its dispatch sheets
 * and bulletins.
 */
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { html, jsonScript } from '../html';
import { closingDay, day, percent } from '../format';
import { asOfBanner, asOfPicker, documentLinks, layout, type PageContext } from './layout';

export interface CampaignView {
  campaign: CampaignDto;
  stats: {
    campaign: { items: number; closed: number; overdueNow: number; green: number; yellow: number; red: number };
    units: { unitId: string; name: string; rank: number; items: number; closed: number; onTimeRate: number | null; overdueNow: number; averageDaysLate: number; lights: { green: number; yellow: number; red: number } }[];
  };
  /** The latest rating of each unit (a sheet's, or an evaluation's when ratings have their own cadence). */
  ratings: Map<string, { label: string; reasons: string[] }>;
  ratingSource: string | null;
  listed: Set<string>;
  state: { periods: number; nextDispatchAt: string | null; ratingBasis: string; evaluations: number; nextEvaluationAt: string | null } | null;
  series: { seq: number; at: string; progress: number | null; target: number | null; completionRate: number }[];
  sheets: { seq: number; periodStart: string; periodEnd: string; totals: { items: number; closed: number; overdue: number; notReported: number; completionRate: number } }[];
  bulletins: { id: string; docNumber: string; title: string; issuedOn: string }[];
  /** Evaluations (考评) when ratings have their own cadence. */
  evaluations: { seq: number; periodEnd: string; totals: { units: number; ratings: { good: number; fair: number; poor: number } } }[];
  /** The office may import lists into it. */
  canImport: boolean;
  /** 回溯: the page as of this past day's close (read only), or null for now. */
  asOf: string | null;
}


export function campaignPage(ctx: PageContext, v: CampaignView) {
  const c = v.campaign;
  const s = v.stats.campaign;
  const at = v.asOf ? `&asOf=${v.asOf}` : '';
  const chart = {
    labels: v.series.map((p) => `第${p.seq}期`),
    progress: v.series.map((p) => p.progress),
    target: v.series.map((p) => p.target),
    completion: v.series.map((p) => p.completionRate),
  };
  return layout(
    ctx,
    c.title,
    html`<p class="crumbs"><a href="/">专项行动</a></p>
${v.asOf ? asOfBanner(v.asOf, `/campaigns/${c.id}`) : ''}
<h1>${c.title}</h1>
<p class="muted">${c.docNumber ?? ''} ${day(c.startDate)}至${day(c.endDate)}${v.state ? html` · 已调度${v.state.periods}期${v.state.nextDispatchAt ? html`，下次调度 ${closingDay(v.state.nextDispatchAt)}` : ''}${v.state.ratingBasis === 'evaluation' ? html` · 已考评${v.state.evaluations}次${v.state.nextEvaluationAt ? html`，下次考评 ${closingDay(v.state.nextEvaluationAt)}` : ''}` : ''}` : ''}</p>
<div class="figures big">
  <span class="fig"><b>${s.items}</b>整改事项</span>
  <span class="fig"><b>${s.closed}</b>已销号</span>
  <span class="fig ${s.overdueNow ? 'bad' : ''}"><b>${s.overdueNow}</b>逾期未完成</span>
  <span class="fig"><b class="light-dot red"></b>${s.red} <b class="light-dot yellow"></b>${s.yellow} <b class="light-dot green"></b>${s.green}</span>
  <a class="button" href="/items?campaignId=${c.id}${at}">查看事项</a>
  <a class="button secondary" href="/campaigns/${c.id}/ledger.xlsx${v.asOf ? `?asOf=${v.asOf}` : ''}" hx-boost="false">${v.asOf ? '导出当日台账' : '导出台账'}</a>
  ${v.canImport ? html`<a class="button secondary" href="/campaigns/${c.id}/import">导入清单</a>` : ''}
  ${v.asOf ? '' : html`<a class="button secondary" href="/campaigns/${c.id}/templates">函件模板</a>`}
</div>
${asOfPicker(`/campaigns/${c.id}`, v.asOf)}

<section>
<h2>单位排名</h2>
<div class="scroll"><table class="ranking">
<thead><tr><th>名次</th><th>单位</th><th>事项</th><th>按期完成率</th><th>逾期</th><th>平均逾期天数</th><th>灯</th><th>${v.ratingSource ?? '评定'}</th></tr></thead>
<tbody>
${v.stats.units.map((u) => {
  const r = v.ratings.get(u.unitId);
  return html`<tr>
<td>${u.rank}</td>
<td><a href="/items?campaignId=${c.id}&unitId=${u.unitId}${at}">${u.name}</a>${v.listed.has(u.unitId) ? html` <span class="tag bad">挂牌督办</span>` : ''}</td>
<td>${u.closed}/${u.items}</td>
<td>${percent(u.onTimeRate === null ? null : u.onTimeRate * 100)}</td>
<td class="${u.overdueNow ? 'bad' : ''}">${u.overdueNow}</td>
<td>${u.averageDaysLate}</td>
<td class="lights"><b class="light-dot red"></b>${u.lights.red} <b class="light-dot yellow"></b>${u.lights.yellow} <b class="light-dot green"></b>${u.lights.green}</td>
<td>${r ? html`<span class="rating r-${r.label}" title="${r.reasons.join('；')}">${r.label}</span>` : '—'}</td>
</tr>`;
})}
</tbody></table></div>
</section>

<section>
<h2>整改进度与序时进度</h2>
${
  v.series.length
    ? html`<div class="chart" data-chart="progress" data-source="series" role="img" aria-label="各期平均整改进度与序时进度"></div>${jsonScript('series', chart)}
<noscript>${v.series.map((p) => html`<p>第${p.seq}期：进度 ${percent(p.progress)}，序时进度 ${percent(p.target)}</p>`)}</noscript>`
    : html`<p class="empty">首期调度后显示。</p>`
}
</section>

<section class="two">
<div>
<h2>调度表</h2>
${v.sheets.length ? '' : html`<p class="empty">尚无调度表。</p>`}
<ul class="plain">
${[...v.sheets].reverse().map(
  (sh) => html`<li><a href="/campaigns/${c.id}/sheets/${sh.seq}">第${sh.seq}期</a> <span class="muted">截至${closingDay(sh.periodEnd)}</span> 完成率${percent(sh.totals.completionRate)}，逾期${sh.totals.overdue}项，未报送${sh.totals.notReported}项次</li>`,
)}
</ul>
${
  v.evaluations.length
    ? html`<h2>考评</h2><ul class="plain">${[...v.evaluations].reverse().map(
        (e) => html`<li><a href="/campaigns/${c.id}/evaluations/${e.seq}">第${e.seq}次考评</a> <span class="muted">截至${closingDay(e.periodEnd)}</span> 好${e.totals.ratings.good} 中${e.totals.ratings.fair} 差${e.totals.ratings.poor}</li>`,
      )}</ul>`
    : ''
}
</div>
<div>
<h2>通报</h2>
${v.bulletins.length ? '' : html`<p class="empty">尚无通报。</p>`}
<ul class="plain">
${v.bulletins.map((b) => html`<li>${b.docNumber} ${b.title} <span class="muted">${day(b.issuedOn)}</span> ${documentLinks(b.id)}</li>`)}
</ul>
</div>
</section>`,
  );
}
