/** 首页: every campaign at a glance — progress, overdue, lights — for the office and the leaders. */
import type { CampaignDto } from '../../api/routes/campaigns/schemas';
import { html } from '../html';
import { day } from '../format';
import { bar, layout, type PageContext } from './layout';

export interface CampaignCard {
  campaign: CampaignDto;
  stats: { items: number; closed: number; overdueNow: number; green: number; yellow: number; red: number };
}

export function homePage(ctx: PageContext, cards: CampaignCard[]) {
  return layout(
    ctx,
    '专项行动',
    html`<h1>专项行动</h1>
${cards.length ? '' : html`<p class="empty">暂无专项行动。</p>`}
<div class="cards">
${cards.map(({ campaign: c, stats: s }) => {
  const rate = s.items ? (s.closed / s.items) * 100 : 0;
  return html`<a class="card campaign" href="/campaigns/${c.id}">
  <h2>${c.title}</h2>
  <p class="muted">${c.docNumber ?? ''} ${day(c.startDate)}至${day(c.endDate)}${c.closedAt ? html` <span class="tag">已结束</span>` : ''}</p>
  <p>完成销号 ${bar(rate)} <span class="muted">${s.closed}/${s.items}项</span></p>
  <p class="figures"><span class="fig ${s.overdueNow ? 'bad' : ''}"><b>${s.overdueNow}</b>逾期</span><span class="fig"><b class="light-dot red"></b>${s.red}</span><span class="fig"><b class="light-dot yellow"></b>${s.yellow}</span><span class="fig"><b class="light-dot green"></b>${s.green}</span></p>
</a>`;
})}
</div>`,
  );
}
