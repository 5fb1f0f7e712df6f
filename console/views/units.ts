/**
 * 单位 (the office): the directory — each unit, its kind, the names officials write for it, its
 * contact department (联系部门) — a form to add a unit, and one to issue a token (shown once).
 */
import { html } from '../html';
import { csrfField, keyField, layout, type PageContext } from './layout';

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  aliases: string[];
  contactUnitId: string | null;
}

const KIND: Record<string, string> = { department: '市直部门', county: '县市区', office: '督查室', other: '其他' };

export function unitsPage(ctx: PageContext, v: { units: UnitRow[]; issued?: { name: string; token: string; role: string }; error?: string }) {
  const names = new Map(v.units.map((u) => [u.id, u.name]));
  return layout(
    ctx,
    '单位',
    html`<h1>单位与访问令牌</h1>
${v.error ? html`<p class="flash error" role="alert">${v.error}</p>` : ''}
${
  v.issued
    ? html`<div class="card issued" role="status"><p>已为“${v.issued.name}”发放访问令牌（仅显示这一次，请妥善转交）：</p><p><code class="token">${v.issued.token}</code></p></div>`
    : ''
}
<div class="scroll"><table>
<thead><tr><th>单位</th><th>类型</th><th>简称</th><th>联系部门</th><th>送达渠道</th></tr></thead>
<tbody>${v.units.map((u) => html`<tr><td>${u.name}</td><td>${KIND[u.kind] ?? u.kind}</td><td>${u.aliases.join('、')}</td><td>${u.contactUnitId ? (names.get(u.contactUnitId) ?? '') : '—'}</td><td><a href="/units/${u.id}/channels">设置</a></td></tr>`)}</tbody>
</table></div>
<section class="two">
<form class="card upload" method="post" action="/units">
  <h2>新增单位</h2>
  ${csrfField(ctx)}${keyField()}
  <label>单位全称<input name="name" required maxlength="100"></label>
  <label>类型<select name="kind">${Object.entries(KIND).map(([k, l]) => html`<option value="${k}">${l}</option>`)}</select></label>
  <label>简称<small>多个用顿号分隔，如“市住建局”</small><input name="aliases" maxlength="1000"></label>
  <button type="submit">新增</button>
</form>
<form class="card upload" method="post" action="/units/tokens">
  <h2>发放访问令牌</h2>
  ${csrfField(ctx)}${keyField()}
  <label>角色<select name="role"><option value="unit">责任单位联络员</option><option value="leader">领导（只读）</option><option value="office">督办办公室</option></select></label>
  <label>单位（责任单位联络员）<select name="unitId"><option value="">—</option>${v.units.map((u) => html`<option value="${u.id}">${u.name}</option>`)}</select></label>
  <label>持有人<input name="name" required maxlength="100" placeholder="如：市住建局 联络员"></label>
  <button type="submit">发放</button>
</form>
</section>`,
  );
}
