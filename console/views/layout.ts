/** The page shell: head, the navigation a role needs, the flash message, the scripts. */
import crypto from 'node:crypto';
import type { Principal } from '../../domain/principal';
import { html, type Html } from '../html';
import { dateOf } from '../../domain/time';
import { MIN_DATE } from '../../domain/bounds';
import { chineseDate } from '../../domain/letters/types';

export interface PageContext {
  principal: Principal;
  csrf: string;
  /** The path being shown (the navigation marks it). */
  path: string;
  flash: { kind: 'ok' | 'error'; text: string } | null;
}

const ROLE_LABELS: Record<Principal['role'], string> = { office: '督办办公室', unit: '责任单位', leader: '领导' };

function nav(ctx: PageContext): Html {
  const links: [string, string][] =
    ctx.principal.role === 'unit'
      ? [['/todo', '我的待办'], ['/items', '事项'], ['/letters', '函件'], ['/inbox', '收件箱'], ['/', '专项行动']] // a unit signs in to 我的待办; `/` shows the campaigns
      : ctx.principal.role === 'leader'
        ? [['/', '总览'], ['/items', '事项'], ['/letters', '函件'], ['/simulations', '试运行']] // leaders have no inbox
        : [['/', '专项行动'], ['/items', '事项'], ['/letters', '函件'], ['/inbox', '收件箱'], ['/units', '单位'], ['/calendar', '日历'], ['/simulations', '试运行']];
  const current = (href: string) => (href === '/' ? ctx.path === '/' || ctx.path.startsWith('/campaigns') : ctx.path.startsWith(href));
  return html`<nav class="nav">${links.map(([href, label]) => html`<a href="${href}"${current(href) ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>`;
}

export function layout(ctx: PageContext | null, title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 督办工作台</title>
<meta name="htmx-config" content='{"historyCacheSize":0,"refreshOnHistoryMiss":true,"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}]}'>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/console.js" defer></script>
</head>
<body hx-boost="true">
<header class="top">
  <a class="brand" href="/">督办工作台</a>
  ${ctx ? nav(ctx) : ''}
  ${
    ctx
      ? html`<form class="who" method="post" action="/logout" hx-boost="false">
  <span>${ctx.principal.name}<small>${ROLE_LABELS[ctx.principal.role]}</small></span>
  ${csrfField(ctx)}<button type="submit" class="link">退出</button>
</form>`
      : ''
  }
</header>
<main>
${ctx?.flash ? html`<p class="flash ${ctx.flash.kind}" role="${ctx.flash.kind === 'error' ? 'alert' : 'status'}">${ctx.flash.text}</p>` : ''}
${body}
</main>
</body>
</html>`;
}

export const csrfField = (ctx: Pick<PageContext, 'csrf'>): Html => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
/**
 * A key new with each render of a create form, sent on as the API's Idempotency-Key (formKey in
 * console/context.ts): a double click or a resent form creates once and shows the first answer.
 */
export const keyField = (): Html => html`<input type="hidden" name="_key" value="${crypto.randomUUID()}">`;

/** A warning light as a dot with its label (colour is never the only sign). */
export const light = (l: string, label: string): Html => html`<span class="light ${l}" title="${label}">${label}</span>`;

/** A progress bar with its number. */
export const bar = (value: number | null, target?: number | null): Html =>
  html`<span class="bar" role="img" aria-label="进度 ${value ?? 0}%${target !== undefined && target !== null ? `，序时进度 ${target}%` : ''}"><span style="width:${Math.max(0, Math.min(100, value ?? 0))}%"></span>${
    target !== undefined && target !== null ? html`<i style="left:${Math.max(0, Math.min(100, target))}%"></i>` : ''
  }</span><span class="num">${value === null ? '—' : `${Math.round(value)}%`}</span>`;

/** A letter's downloads, through the console (the browser has a session, not a token). */
export const documentLinks = (letterId: string): Html =>
  html`<a href="/letters/${letterId}/document.pdf" hx-boost="false">PDF</a> <a href="/letters/${letterId}/document.docx" hx-boost="false">Word</a>`;

/**
 * 回溯: the banner of a page shown as of a past day (read only, rebuilt from the audit trail), and
 * the picker that asks for one. `here` is the page's own path; its other query (filters) is kept.
 */
export const asOfBanner = (asOf: string, back: string): Html =>
  html`<p class="as-of" role="status"><b>回溯视图</b> 以下为 ${chineseDate(asOf)} 日终时的情况，据审计记录重建，只读。<a href="${back}">返回当前</a></p>`;

export const asOfPicker = (here: string, asOf: string | null, keep: Record<string, string> = {}): Html =>
  html`<form class="as-of-pick" method="get" action="${here}">
${Object.entries(keep).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<label>回溯至<input type="date" name="asOf" min="${MIN_DATE}" max="${dateOf(Date.now() - 86_400_000)}" value="${asOf ?? ''}"></label>
<button type="submit" class="button secondary">查看</button>
</form>`;
