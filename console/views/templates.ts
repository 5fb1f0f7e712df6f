/**
 * 函件模板: each letter type's wording in a campaign (version 0 is the built-in one), an editor
 * beside a live sample letter, and the earlier versions. Letters already issued keep the wording
 * they were issued with; a new version applies to letters issued after it.
 */
import type { z } from 'zod';
import type { templateVersionSchema } from '../../api/routes/templates/schemas';
import { SAMPLE_FACTS } from '../../domain/letters/samples';
import type { LetterType } from '../../domain/letters/types';
import { html, type Html } from '../html';
import { dateTime } from '../format';
import { csrfField, keyField, layout, type PageContext } from './layout';

export type TemplateVersion = z.infer<typeof templateVersionSchema>;
type Campaign = { id: string; title: string };

const crumbs = (c: Campaign, more: Html | '' = '') => html`<p class="crumbs"><a href="/">专项行动</a> › <a href="/campaigns/${c.id}">${c.title}</a>${more}</p>`;
const versionLabel = (t: TemplateVersion) => (t.version === 0 ? '内置文本' : `第${t.version}版`);

export function templatesPage(ctx: PageContext, v: { campaign: Campaign; templates: TemplateVersion[]; canWrite: boolean }) {
  return layout(
    ctx,
    '函件模板',
    html`${crumbs(v.campaign)}
<h1>函件模板</h1>
<p class="muted">每类函件的标题与正文。修改后保存为新版本，只用于此后印发的函件；已印发的函件保留原文。</p>
<div class="scroll"><table>
<thead><tr><th>函件类型</th><th>当前版本</th><th>标题</th><th>修改人</th><th>修改时间</th><th></th></tr></thead>
<tbody>${v.templates.map(
      (t) => html`<tr><td>${t.typeLabel}</td><td>${versionLabel(t)}</td><td>${t.title}</td><td>${t.createdBy ?? '—'}</td><td>${dateTime(t.createdAt)}</td>
<td><a class="button secondary" href="/campaigns/${v.campaign.id}/templates/${t.type}">${v.canWrite ? '编辑' : '查看'}</a></td></tr>`,
    )}</tbody></table></div>`,
  );
}

/** The facts a template of this type may use, as a designer writes them. */
function factsOf(type: LetterType): Html {
  const facts = SAMPLE_FACTS[type] as Record<string, unknown>;
  return html`<ul class="plain facts">${Object.entries(facts).map(([k, val]) =>
    Array.isArray(val) && val.length && typeof val[0] === 'object'
      ? html`<li><code>{{#each ${k}}}</code> … <code>{{/each}}</code>：${Object.keys(val[0] as object).map((f) => html`<code>{{${f}}}</code> `)}</li>`
      : val && typeof val === 'object' && !Array.isArray(val)
        ? html`<li>${Object.keys(val).map((f) => html`<code>{{${k}.${f}}}</code> `)}</li>`
        : html`<li><code>{{${k}}}</code> <small class="muted">如：${String(val).slice(0, 40)}</small></li>`,
  )}</ul>`;
}

export function templatePage(
  ctx: PageContext,
  v: { campaign: Campaign; current: TemplateVersion; versions: TemplateVersion[]; next: number | null; form: { title: string; body: string; from: number }; canWrite: boolean; error?: string },
) {
  const t = v.current;
  const base = `/campaigns/${v.campaign.id}/templates/${t.type}`;
  return layout(
    ctx,
    `${t.typeLabel}模板`,
    html`${crumbs(v.campaign, html` › <a href="/campaigns/${v.campaign.id}/templates">函件模板</a>`)}
<h1>${t.typeLabel} <small class="muted">当前：${versionLabel(t)}</small></h1>
${v.error ? html`<p class="flash error" role="alert">${v.error}</p>` : ''}
<section class="two template">
${
  v.canWrite
    ? html`<form class="card upload" method="post" action="${base}" hx-boost="false">
  ${csrfField(ctx)}${keyField()}<input type="hidden" name="from" value="${v.form.from}">
  <p class="muted">底稿：${v.form.from === t.version ? '当前版本' : v.form.from === 0 ? '内置文本' : `第${v.form.from}版`}</p>
  <label>标题<input type="text" name="title" required maxlength="200" value="${v.form.title}"></label>
  <label>正文<small>段落之间空一行；以“一、”“（一）”开头的段落为标题</small><textarea name="body" rows="18" required maxlength="20000">${v.form.body}</textarea></label>
  <div class="actions">
    <button type="submit" formaction="${base}/preview" formtarget="preview" class="secondary">预览</button>
    <button type="submit">保存为新版本</button>
  </div>
  <details><summary>可用字段</summary>${factsOf(t.type)}</details>
</form>`
    : html`<div class="card"><h2>${t.title}</h2><pre class="wording">${t.body}</pre></div>`
}
<div class="card preview">
  <p class="muted">样张（示例数据）· <a href="${base}/sample.pdf?version=${v.form.from}" hx-boost="false">PDF</a> <a href="${base}/sample.docx?version=${v.form.from}" hx-boost="false">Word</a></p>
  <iframe name="preview" title="函件样张" sandbox src="${base}/preview?version=${v.form.from}"></iframe>
</div>
</section>
<h2>历史版本</h2>
<div class="scroll"><table>
<thead><tr><th>版本</th><th>标题</th><th>修改人</th><th>时间</th><th></th></tr></thead>
<tbody>${v.versions.map(
      (x) => html`<tr><td>${versionLabel(x)}${x.version === t.version ? html` <span class="tag">当前</span>` : ''}</td><td>${x.title}</td><td>${x.createdBy ?? '—'}</td><td>${dateTime(x.createdAt)}</td>
<td><a href="${base}/preview?version=${x.version}" target="preview" hx-boost="false">预览</a>${v.canWrite ? html` <a href="${base}?from=${x.version}">以此为底稿</a>` : ''}</td></tr>`,
    )}</tbody></table></div>
${v.next !== null ? html`<p class="pager"><a class="button secondary" href="${base}?after=${v.next}">更早的版本</a></p>` : ''}`,
  );
}

/** What the preview frame shows when the wording does not compose. */
export function previewError(text: string): string {
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>body{font:15px/1.6 sans-serif;color:#b42318;padding:1em}</style></head><body><p>无法生成样张：${text}</p></body></html>`.text;
}
