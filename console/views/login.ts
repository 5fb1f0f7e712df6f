/** Sign-in (登录): the token the office issued (POST /api/v1/principals; the demo prints them). */
import { html } from '../html';
import { layout } from './layout';

export function loginPage(o: { csrf: string; error?: string; next?: string }) {
  return layout(
    null,
    '登录',
    html`<section class="login card">
  <h1>督办工作台</h1>
  <p class="muted">请输入督办办公室发放的访问令牌登录。</p>
  ${o.error ? html`<p class="flash error" role="alert">${o.error}</p>` : ''}
  <form method="post" action="/login" hx-boost="false">
    <input type="hidden" name="_csrf" value="${o.csrf}">
    ${o.next ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
    <label>访问令牌<input name="token" type="password" autocomplete="current-password" required maxlength="200" autofocus></label>
    <button type="submit">登录</button>
  </form>
</section>`,
  );
}
