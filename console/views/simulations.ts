/**
 * 试运行: the office asks what a policy will do before anything is sent — the form (what to run,
 * one policy or two, how the units behave), the list of runs with their progress, and a run's
 * report: a chart of letters and overdue items week by week, policy beside policy, the weekly
 * tables, and the units that drew the most letters.
 */
import { LETTER_TYPE_LABELS, type LetterType } from '../../domain/letters/types';
import type { SimulationReport } from '../../simulation/report';
import { html, jsonScript, type Html } from '../html';
import { dateTime, percent } from '../format';
import { bar, csrfField, keyField, layout, type PageContext } from './layout';

export interface SimulationDto {
  id: string;
  requestedBy: string;
  request: { source: { kind: string; campaignId?: string; items?: number }; policies: { preset?: string; label?: string }[]; days?: number; fitBehaviour: boolean };
  status: 'running' | 'done' | 'failed';
  progress: { run: number; runs: number; day: number; days: number };
  result?: { behaviour: Record<string, number>; fitted: boolean; runs: { label: string; report: SimulationReport }[] };
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  links: { workflow: string };
}

const STATUS = { running: '运行中', done: '已完成', failed: '未完成' } as const;
const COLS: LetterType[] = ['assignment_letter', 'reminder_letter', 'urging_letter', 'supervision_letter', 'summons', 'listed_supervision', 'bulletin'];
const sourceText = (s: SimulationDto['request']['source'], campaigns: Map<string, string>) =>
  s.kind === 'seed-002' ? '白城市“百日冲刺”（种子002）' : s.kind === 'campaign' ? `${campaigns.get(s.campaignId ?? '') ?? '专项行动'}（自今日起）` : `合成清单 ${s.items} 项`;
/** Overall progress in percent: runs done plus the share of the current one. */
const overall = (p: SimulationDto['progress']) => (p.runs ? Math.round(((Math.max(0, p.run - 1) + (p.days ? p.day / p.days : 0)) / p.runs) * 100) : 0);

export function simulationsPage(ctx: PageContext, v: { simulations: SimulationDto[]; campaigns: { id: string; title: string }[]; canRun: boolean; presets: [string, string][] }) {
  const titles = new Map(v.campaigns.map((c) => [c.id, c.title]));
  const presetOptions = (selected: string, none?: string) =>
    html`${none ? html`<option value="">${none}</option>` : ''}${v.presets.map(([k, label]) => html`<option value="${k}"${k === selected ? html` selected` : ''}>${label}</option>`)}`;
  return layout(
    ctx,
    '试运行',
    html`<h1>试运行</h1>
<p class="muted">在发出任何函件之前，先看一项策略会带来什么：按单位的行为模型，把专项行动在压缩的时间里“过”一遍——用真实的工作流和规则，独立的数据库，不触及正式数据。</p>
${
  v.canRun
    ? html`<form class="sim-form" method="post" action="/simulations">
${csrfField(ctx)}${keyField()}
<fieldset><legend>试运行什么</legend>
  <label class="inline"><input type="radio" name="source" value="seed-002" checked> 白城市“百日冲刺”（种子002，28项）</label>
  <label class="inline"><input type="radio" name="source" value="campaign"> 已有专项行动的在办事项（自今日起）</label>
  <label>专项行动<select name="campaignId">${v.campaigns.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select></label>
  <label class="inline"><input type="radio" name="source" value="synthetic"> 合成清单</label>
  <label>合成事项数<input type="number" name="items" min="1" max="5000" value="200" inputmode="numeric"></label>
</fieldset>
<fieldset><legend>策略</legend>
  <label>策略 A<select name="policyA">${presetOptions('default')}</select></label>
  <label>策略 B（对比）<select name="policyB">${presetOptions('strict', '不对比')}</select></label>
</fieldset>
<fieldset><legend>单位行为模型</legend>
  <label>签收时间（天内）<input type="number" name="signWithinDays" min="0" max="60" value="2"></label>
  <label>按期完成率（%）<input type="number" name="onTimeRate" min="0" max="100" value="85"></label>
  <label>漏报率（%）<input type="number" name="missReportRate" min="0" max="100" value="10"></label>
  <label>退回率（%）<input type="number" name="rejectRate" min="0" max="100" value="15"></label>
  <label>后进单位占比（%）<input type="number" name="laggardShare" min="0" max="100" value="20"></label>
  <label class="inline"><input type="checkbox" name="fitBehaviour" value="yes"> 按该专项行动的实际记录拟合（仅“已有专项行动”）</label>
</fieldset>
<label>试运行天数<small>留空：至专项行动结束后一周</small><input type="number" name="days" min="7" max="400"></label>
<button type="submit" class="button">开始试运行</button>
</form>`
    : ''
}
<section>
<h2>试运行记录</h2>
${v.simulations.length ? '' : html`<p class="empty">尚无试运行。</p>`}
<div class="scroll"><table>
<thead><tr><th>开始</th><th>内容</th><th>策略</th><th>状态</th><th>进度</th></tr></thead>
<tbody>${v.simulations.map(
      (s) => html`<tr>
<td><a href="/simulations/${s.id}">${dateTime(s.createdAt)}</a></td>
<td>${sourceText(s.request.source, titles)}</td>
<td>${s.request.policies.map((p) => p.label ?? p.preset ?? '自定义').join(' 对比 ')}</td>
<td>${STATUS[s.status]}</td>
<td>${s.status === 'done' ? '100%' : bar(overall(s.progress))}</td>
</tr>`,
    )}</tbody></table></div>
</section>`,
  );
}

export function simulationPage(ctx: PageContext, s: SimulationDto, campaigns: { id: string; title: string }[]) {
  const titles = new Map(campaigns.map((c) => [c.id, c.title]));
  const runs = s.result?.runs ?? [];
  const weeks = Math.max(0, ...runs.map((r) => r.report.weeks.length));
  const chart = {
    labels: Array.from({ length: weeks }, (_, i) => `第${i + 1}周`),
    series: runs.flatMap((r, i) => [
      { name: `函件 ${'AB'[i]}`, type: 'bar', yAxisIndex: 0, data: r.report.weeks.map((w) => Object.values(w.letters).reduce((a, b) => a + b, 0)) },
      { name: `逾期 ${'AB'[i]}`, type: 'line', yAxisIndex: 1, data: r.report.weeks.map((w) => w.overdue) },
    ]),
  };
  return layout(
    ctx,
    '试运行结果',
    html`<p class="crumbs"><a href="/simulations">试运行</a></p>
<h1>试运行：${sourceText(s.request.source, titles)}</h1>
<p class="muted">${dateTime(s.createdAt)} · ${s.requestedBy} · <a href="${s.links.workflow}" hx-boost="false">Temporal 工作流</a></p>
${
  // While it runs, the body replaces itself every 2 s; the finished page has no trigger, so polling ends with the run.
  s.status === 'running' ? html`<div id="sim-body" hx-get="/simulations/${s.id}" hx-trigger="every 2s" hx-select="#sim-body" hx-target="this" hx-swap="outerHTML">` : html`<div id="sim-body">`
}
${
  s.status === 'running'
    ? html`<p>运行中：第 ${Math.max(1, s.progress.run)}/${s.progress.runs} 种策略，第 ${s.progress.day}/${s.progress.days || '…'} 天</p>${bar(overall(s.progress))}<p class="muted"><a href="/simulations/${s.id}">刷新</a></p>`
    : s.status === 'failed'
      ? html`<p class="flash error" role="alert">试运行未完成：${s.error ?? '原因不明'}</p>`
      : report(s, chart)
}
</div>`,
  );
}

function report(s: SimulationDto, chart: { labels: string[]; series: unknown[] }): Html {
  const runs = s.result!.runs;
  const b = s.result!.behaviour;
  return html`<p class="muted">单位行为${s.result!.fitted ? '（按实际记录拟合）' : ''}：${b.signWithinDays}天内签收，按期完成率${percent(b.onTimeRate! * 100)}，漏报率${percent(b.missReportRate! * 100)}，退回率${percent(b.rejectRate! * 100)}，后进单位${percent(b.laggardShare! * 100)}</p>
<section>
<h2>函件与逾期，逐周</h2>
<div class="chart" data-chart="simulation" data-source="sim-chart" role="img" aria-label="各周函件数与逾期事项数"></div>${jsonScript('sim-chart', chart)}
</section>
${
  runs.length === 2
    ? html`<section><h2>两种策略对比</h2><div class="scroll"><table>
<thead><tr><th></th><th>A：${runs[0]!.label}</th><th>B：${runs[1]!.label}</th></tr></thead>
<tbody>
${COLS.map((t) => html`<tr><td>${LETTER_TYPE_LABELS[t]}</td><td>${runs[0]!.report.totals.letters[t]}</td><td>${runs[1]!.report.totals.letters[t]}</td></tr>`)}
<tr><td>挂牌督办</td><td>${runs[0]!.report.totals.listed}</td><td>${runs[1]!.report.totals.listed}</td></tr>
<tr><td>已销号</td><td>${runs[0]!.report.totals.closed}</td><td>${runs[1]!.report.totals.closed}</td></tr>
<tr><td>期末逾期</td><td>${runs[0]!.report.totals.overdue}</td><td>${runs[1]!.report.totals.overdue}</td></tr>
<tr><td>按期完成率</td><td>${rate(runs[0]!.report.totals.onTimeRate)}</td><td>${rate(runs[1]!.report.totals.onTimeRate)}</td></tr>
</tbody></table></div></section>`
      : ''
  }
${runs.map(
  (r, i) => html`<section>
<h2>${runs.length === 2 ? `策略 ${'AB'[i]}：` : ''}${r.label}</h2>
<p class="muted">${r.report.items} 项，自 ${r.report.startDate} 起 ${r.report.days} 天，用时 ${Math.round(r.report.elapsedMs / 1000)} 秒</p>
<div class="scroll"><table>
<thead><tr><th>周</th>${COLS.map((t) => html`<th>${LETTER_TYPE_LABELS[t]}</th>`)}<th>提醒</th><th>报送/漏报</th><th>销号</th><th>逾期</th><th>按期率</th><th>好/中/差</th><th>办公室工作量</th><th>挂牌</th></tr></thead>
<tbody>${r.report.weeks.map(
    (w) => html`<tr><td>第${w.week}周<br><small class="muted">${w.from.slice(5)}~${w.to.slice(5)}</small></td>${COLS.map((t) => html`<td>${w.letters[t] || ''}</td>`)}<td>${w.reminders || ''}</td><td>${w.reportsReceived}/${w.reportsMissed}</td><td>${w.closed}</td><td>${w.overdue}</td><td>${rate(w.onTimeRate)}</td><td>${w.ratings.good}/${w.ratings.fair}/${w.ratings.poor}</td><td>函${w.office.lettersIssued} 审${w.office.reviews} 延${w.office.extensions}</td><td>${w.listed.join('、')}</td></tr>`,
  )}</tbody></table></div>
${
  r.report.units.length
    ? html`<details><summary>函件最多的单位</summary><ul class="plain">${r.report.units.slice(0, 15).map(
        (u) => html`<li>${u.name}：${COLS.filter((t) => u.letters[t]).map((t) => `${LETTER_TYPE_LABELS[t]}${u.letters[t]}`).join('，')}${u.listed ? `，挂牌${u.listed}次` : ''}</li>`,
      )}</ul></details>`
    : ''
}
</section>`,
)}`;
}

const rate = (r: number | null) => (r === null ? '—' : percent(r * 100));
