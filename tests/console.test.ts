/**
 * The web console (督办工作台) in a real browser: Debian's chromium driven by playwright-core
 * against the app listening on a port, with the real Temporal and PostgreSQL of the run. A liaison
 * signs in, signs for an item, reports and applies for close-out; the office closes it; a leader
 * sees everything and no action; a phone-width page fits; each person's pages list what they may
 * see. Screenshots land in tests/.artifacts/ (not committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCampaignActivities } from '../activities/campaign';
import { inboxNotifier } from '../activities/notifier';
import { policySchema } from '../domain/policy';
import { createCalendarStore } from '../infra/calendar-store';
import { launchChromium, signIn as signInAs } from './browser';
import { farDeadline } from './dates';
import { addItems, newCampaign, office, OFFICE_TOKEN, startHarness, uniq, unitWithToken, type Harness } from './harness';

vi.setConfig({ testTimeout: 120_000 });

const shots = path.join(__dirname, '.artifacts');

let h: Harness;
let browser: Browser;
let base: string;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;
let A: Unit;
let B: Unit;
let leaderToken: string;
let campaignId: string;
let itemA: string;
let itemB: string;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');
const tokenOf = (u: Unit) => u.headers.authorization.replace('Bearer ', '');

beforeAll(async () => {
  browser = await launchChromium();
  fs.mkdirSync(shots, { recursive: true });
  h = await startHarness();
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  A = await unitWithToken(h, `市住建局-${uniq()}`);
  B = await unitWithToken(h, `市水利局-${uniq()}`);
  const leader = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'leader', name: '分管领导' } });
  leaderToken = leader.json().token;
  campaignId = await newCampaign(h, { policy: { delivery: null } });
  const ids = await addItems(h, campaignId, [
    { number: '1', content: '老旧小区雨污分流改造', deadline: farDeadline(), leadUnits: [A.id] },
    { number: '2', content: '河道“清四乱”专项整治', deadline: farDeadline(), leadUnits: [B.id] },
  ]);
  [itemA, itemB] = [ids['1']!, ids['2']!];
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const signIn = (token: string, viewport?: { width: number; height: number }) => signInAs(browser, base, token, viewport ? { viewport } : {});

/** Opens an action on the item page, fills it, submits (accepting its confirmation) and returns the message shown. */
async function act(page: Page, action: string, fill: Record<string, string> = {}, files: { name: string; mimeType: string; buffer: Buffer }[] = []): Promise<string> {
  const box = page.locator(`details[data-action=${action}]`);
  await box.locator('summary').click();
  for (const [name, value] of Object.entries(fill)) await box.locator(`[name=${name}]`).fill(value);
  if (files.length) await box.locator('input[type=file]').setInputFiles(files);
  const flash = async () => ((await page.locator('.flash').count()) ? ((await page.locator('.flash').first().textContent()) ?? '') : '');
  const before = await flash();
  await box.locator('button[type=submit]').click();
  // htmx swaps the page in place (no navigation to wait for): wait for the new message.
  await expect.poll(flash, { timeout: 20_000 }).not.toBe(before);
  return flash();
}

describe('the console in a real browser', () => {
  it('refuses a wrong token with a message in Chinese, and sends an unsigned visitor to the sign-in page', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/items/${itemA}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', 'rk_not_a_token');
    await page.click('button[type=submit]');
    await expect.poll(async () => page.locator('.flash.error').textContent()).toContain('访问令牌无效');
    await ctx.close();
  });

  it('a liaison signs for an item, reports, applies for close-out; the office closes it', async () => {
    const { ctx, page } = await signIn(tokenOf(A));
    // 我的待办: A's own item to sign for; B's is not there.
    expect(new URL(page.url()).pathname).toBe('/todo');
    const todo = page.locator('#ack');
    await expect.poll(() => todo.textContent()).toContain('老旧小区雨污分流改造');
    expect(await page.locator('main').textContent()).not.toContain('清四乱');
    await page.screenshot({ path: path.join(shots, 'todo-liaison.png'), fullPage: true });

    await todo.getByText('老旧小区雨污分流改造').click();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('h1').textContent()).toContain('第1项');
    // Only what the unit may do now: 签收 or ask for more time (not 报送 before signing, never the office's 销号).
    const offered = async () => page.locator('details[data-action]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.action));
    expect(await offered()).toEqual(['acknowledge', 'requestExtension']);
    expect(await act(page, 'acknowledge')).toContain('签收：已办理');
    expect(await offered()).toEqual(expect.arrayContaining(['reportProgress', 'submit', 'requestExtension']));
    expect(await offered()).not.toContain('close');
    // A report with its 佐证材料: a photo (uploaded, then cited), and a file that is not evidence refused.
    expect(await act(page, 'reportProgress', { text: '无效附件', percent: '50' }, [{ name: '照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ not a picture at all') }])).toContain('不是可接受的佐证材料格式');
    expect(
      await act(page, 'reportProgress', { text: '已完成雨污管网铺设3.2公里', percent: '100', evidence: '施工验收单\n现场照片' }, [{ name: '现场照片.png', mimeType: 'image/png', buffer: PNG }]),
    ).toContain('报送进展：已办理');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('现场照片.png');
    const href = await page.locator('.timeline a[href^="/evidence/"]').first().getAttribute('href');
    const file = await page.request.get(`${base}${href}`);
    expect([file.status(), file.headers()['content-type']]).toEqual([200, 'image/png']);
    expect(Buffer.from(await file.body()).equals(PNG)).toBe(true);
    // A refusal comes back as the API's Chinese message.
    expect(await act(page, 'submit', { summary: ' ' })).toContain('未成功');
    expect(await act(page, 'submit', { summary: '整改全部完成，申请销号' })).toContain('提交销号申请：已办理');
    await expect.poll(() => page.locator('h1 .status').textContent()).toBe('待销号');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('报送进展');
    await page.screenshot({ path: path.join(shots, 'item-liaison.png'), fullPage: true });
    await ctx.close();

    const o = await signIn(OFFICE_TOKEN);
    await o.page.goto(`${base}/items/${itemA}`);
    const officeActions = await o.page.locator('details[data-action]').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.action));
    expect(officeActions).toEqual(expect.arrayContaining(['close', 'reject', 'cancel', 'changeDeadline']));
    expect(officeActions).not.toContain('acknowledge');
    expect(await act(o.page, 'close', { note: '现场核查通过' })).toContain('销号：已办理');
    await expect.poll(() => o.page.locator('h1 .status').textContent()).toBe('已销号');
    await o.page.goto(`${base}/campaigns/${campaignId}`);
    await expect.poll(() => o.page.locator('table.ranking').textContent()).toContain(A.name);
    await o.page.screenshot({ path: path.join(shots, 'campaign-office.png'), fullPage: true });
    await o.ctx.close();
  });

  it('the office imports a list through the wizard: an error shown where it is, then a clean file confirmed', async () => {
    const { ctx, page } = await signIn(OFFICE_TOKEN);
    await page.goto(`${base}/campaigns/${campaignId}`);
    await page.click('a[href$="/import"]');
    await page.waitForLoadState('networkidle');
    const csv = (rows: string[][]) => Buffer.from(['序号,类别,整改措施,牵头单位,配合单位,整改时限', ...rows.map((r) => r.join(','))].join('\n'));
    const upload = async (name: string, buffer: Buffer) => {
      await page.locator('input[type=file][name=file]').setInputFiles({ name, mimeType: 'text/csv', buffer });
      await page.click('form.upload button[type=submit]');
      await page.waitForLoadState('networkidle');
      await expect.poll(async () => (await page.locator('.check').count()) > 0, { timeout: 20_000 }).toBe(true);
    };
    // Row 3 names a unit that does not exist: the whole file is refused, the cell marked.
    await upload('清单-有误.csv', csv([['3', '城市管理', '背街小巷整治', A.name, '', '12月底前'], ['4', '城市管理', '占道经营整治', '市不存在局', '', '12月底前']]));
    const bad = page.locator('table.errors tr[data-row="3"]');
    await expect.poll(() => bad.textContent()).toContain('市不存在局');
    expect(await page.locator('table.errors tbody tr').count()).toBe(1);
    expect(await page.locator('.flash.error').textContent()).toContain('未导入任何内容');
    await page.screenshot({ path: path.join(shots, 'import-errors.png'), fullPage: true });
    expect((await h.sql`select count(*)::int as n from items where campaign_id = ${campaignId}`)[0]!.n).toBe(2);
    // The corrected file: checked, previewed with its deadlines read, confirmed.
    await upload('清单.csv', csv([['3', '城市管理', '背街小巷整治', A.name, '', '12月底前'], ['4', '城市管理', '占道经营整治', B.name, A.name, '立行立改']]));
    await expect.poll(() => page.locator('table.preview').textContent()).toContain('立行立改');
    expect(await page.locator('table.preview tbody tr').count()).toBe(2);
    await page.click('form[action$="/confirm"] button[type=submit]');
    await expect.poll(() => page.locator('.flash.ok').textContent(), { timeout: 20_000 }).toContain('已导入：新增 2 项');
    expect((await h.sql`select count(*)::int as n from items where campaign_id = ${campaignId}`)[0]!.n).toBe(4);
    // The ledger downloads as a workbook.
    const ledger = await page.request.get(`${base}/campaigns/${campaignId}/ledger.xlsx`);
    expect([ledger.status(), (await ledger.body()).subarray(0, 2).toString()]).toEqual([200, 'PK']);
    await ctx.close();
  });

  it('a leader sees the overview and every item, and no action anywhere', async () => {
    const { ctx, page } = await signIn(leaderToken);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.locator('main').textContent()).toContain('专项行动');
    await page.goto(`${base}/items/${itemB}`);
    await expect.poll(() => page.locator('.content-full').textContent()).toContain('清四乱');
    expect(await page.locator('details[data-action]').count()).toBe(0);
    expect(await page.locator('main form[method=post]').count()).toBe(0); // no action (the 回溯 picker only reads)
    await page.goto(`${base}/campaigns/${campaignId}`);
    expect(await page.locator('main form[method=post]').count()).toBe(0); // no action (the 回溯 picker only reads)
    expect(await page.locator('a[href$="/import"]').count()).toBe(0);
    expect((await page.request.get(`${base}/campaigns/${campaignId}/import`)).status()).toBe(403);
    await ctx.close();
  });

  it('letters each person may see, signed for from the list; the inbox; the office issues a token that signs in', async () => {
    // Each unit's 整改工作提醒函 at assignment (one per unit): A sees its own, not B's.
    await expect.poll(async () => (await h.sql`select count(*)::int as n from letters where campaign_id = ${campaignId} and type = 'assignment_letter'`)[0]!.n, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const [letterA, letterB] = await Promise.all([A, B].map(async (u) => (await h.sql`select doc_number from letters where campaign_id = ${campaignId} and type = 'assignment_letter' and unit_id = ${u.id}`)[0]!.docNumber as string));
    const { ctx, page } = await signIn(tokenOf(A));
    await page.goto(`${base}/letters`);
    const table = page.locator('table.letters');
    await expect.poll(() => table.textContent()).toContain(letterA);
    expect(await table.textContent()).not.toContain(letterB);
    const row = table.locator('tr', { hasText: letterA });
    if ((await row.locator('form button').count()) > 0) {
      await row.locator('form button').click();
      await expect.poll(() => page.locator('.flash.ok').textContent(), { timeout: 20_000 }).toContain(`已签收 ${letterA}`);
    }
    await expect.poll(() => page.locator('table.letters tr', { hasText: letterA }).textContent()).toContain('已签收');
    await page.goto(`${base}/inbox`);
    await expect.poll(() => page.locator('main h1').textContent()).toContain('收件箱');
    await ctx.close();

    const leader = await signIn(leaderToken);
    expect(await leader.page.locator('nav a[href="/inbox"]').count()).toBe(0);
    expect((await leader.page.request.get(`${base}/inbox`)).status()).toBe(403);
    expect((await leader.page.request.get(`${base}/units`)).status()).toBe(403);
    await leader.ctx.close();

    const o = await signIn(OFFICE_TOKEN);
    await o.page.goto(`${base}/units`);
    await o.page.selectOption('form[action="/units/tokens"] select[name=role]', 'unit');
    await o.page.selectOption('form[action="/units/tokens"] select[name=unitId]', A.id);
    await o.page.fill('form[action="/units/tokens"] input[name=name]', '新联络员');
    await o.page.click('form[action="/units/tokens"] button[type=submit]');
    await expect.poll(async () => (await o.page.locator('code.token').count()) > 0, { timeout: 20_000 }).toBe(true);
    const token = (await o.page.locator('code.token').textContent())!.trim();
    // The form sent twice at once (a double click, a resend): one token issued, shown both times.
    const tokenForm = (field: string) => o.page.inputValue(`form[action="/units/tokens"] input[name=${field}]`);
    const form = { _csrf: await tokenForm('_csrf'), _key: await tokenForm('_key'), role: 'leader', unitId: '', name: `双击领导-${uniq()}` };
    const twice = await Promise.all([1, 2].map(() => o.page.request.post(`${base}/units/tokens`, { form })));
    const shown = await Promise.all(twice.map(async (r) => /<code class="token">([^<]+)<\/code>/.exec(await r.text())?.[1]));
    expect(shown[0]).toMatch(/^rk_/);
    expect(shown[1]).toBe(shown[0]);
    expect((await h.sql`select count(*)::int as n from principals where name = ${form.name}`)[0]!.n).toBe(1);
    await o.ctx.close();
    const fresh = await signIn(token);
    expect(new URL(fresh.page.url()).pathname).toBe('/todo');
    expect(await fresh.page.locator('.who').textContent()).toContain('新联络员');
    await fresh.ctx.close();
  });

  it('the office loads a year’s holiday notice from its text, checks what was read, previews and activates it', async () => {
    const { ctx, page } = await signIn(OFFICE_TOKEN);
    await page.goto(`${base}/calendar`);
    await page.fill('input[name=name]', '国务院办公厅关于2091年部分节假日安排的通知（测试）');
    await page.fill('input[name=year]', '2091');
    // A paragraph the reader cannot place is said, not guessed; nothing is loaded.
    await page.fill('textarea[name=text]', '一、元旦：1月1日（周一）至3日（周三）放假，共3天。\n二、春节：另行通知。');
    await page.click('button[value=check]');
    await expect.poll(() => page.locator('.flash.error').textContent(), { timeout: 20_000 }).toContain('“春节”：未找到放假日期');
    expect(await page.locator('button[value=load]').count()).toBe(0);
    await page.fill('textarea[name=text]', '一、元旦：1月1日（周一）至3日（周三）放假，共3天。\n二、春节：1月26日至2月1日放假调休，共7天。2月3日（周六）上班。');
    await page.click('button[value=check]');
    await expect.poll(() => page.locator('table.parsed').textContent(), { timeout: 20_000 }).toContain('2091年1月26日至2091年2月1日');
    expect(await page.locator('table.parsed').textContent()).toContain('2091年2月3日');
    await page.click('button[value=load]');
    await expect.poll(() => page.locator('section.card h2').textContent(), { timeout: 20_000 }).toMatch(/^版本\d+生效后的影响$/);
    await page.click('form[action$="/activate"] button');
    await expect.poll(() => page.locator('section.card h2').textContent(), { timeout: 20_000 }).toMatch(/已生效$/);
    const day = await h.app.inject({ method: 'GET', url: '/api/v1/calendar/days/2091-02-03' });
    expect(day.json()).toMatchObject({ working: true, reason: 'makeup_workday', holiday: '春节' });
    await ctx.close();
  });

  it('the office edits a letter template beside its sample, sets a unit’s channels, reads deliveries and a dispatch sheet', async () => {
    const { ctx, page } = await signIn(OFFICE_TOKEN);
    // 函件模板: the editor shows the sample letter; a broken wording is said in the frame, nothing saved.
    await page.goto(`${base}/campaigns/${campaignId}`);
    await page.click(`a[href="/campaigns/${campaignId}/templates"]`);
    await expect.poll(() => page.locator('main table').textContent()).toContain('整改工作提醒函');
    await page.goto(`${base}/campaigns/${campaignId}/templates/reminder_letter`);
    const frame = page.frameLocator('iframe[name=preview]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 20_000 }).toContain('白城市');
    await page.fill('input[name=title]', '关于{{campaignTitle}}事项的温馨提醒（试行）');
    await page.click('button[formtarget=preview]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 20_000 }).toContain('温馨提醒（试行）');
    await page.fill('textarea[name=body]', '{{#each items}}第{{number}}项');
    await page.click('button[formtarget=preview]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 20_000 }).toContain('无法生成样张');
    await page.fill('textarea[name=body]', '请于{{replyBy}}前报送整改情况。');
    await page.click('form[action$="/templates/reminder_letter"] button:not([formtarget])');
    await expect.poll(() => page.locator('.flash.ok').textContent(), { timeout: 20_000 }).toContain('已保存为第1版');
    const saved = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter?version=1`, headers: office });
    expect(saved.json()).toMatchObject({ title: '关于{{campaignTitle}}事项的温馨提醒（试行）', body: '请于{{replyBy}}前报送整改情况。' });
    await page.screenshot({ path: path.join(shots, 'template-editor.png'), fullPage: true });

    // 送达渠道: a bad address is refused naming its row; a good one is kept.
    await page.goto(`${base}/units`);
    await page.click(`a[href="/units/${A.id}/channels"]`);
    await page.waitForURL(/\/channels$/);
    // Row 1 left blank, row 2 wrong: the refusal names row 2, and the form comes back as typed.
    await page.fill('input[name=address_1]', 'not-a-mailbox');
    await page.click('form[action$="/channels"] button[type=submit]');
    await expect.poll(() => page.locator('.flash.error').textContent(), { timeout: 20_000 }).toContain('第2行地址');
    expect(await page.inputValue('input[name=address_1]')).toBe('not-a-mailbox');
    await page.fill('input[name=address_1]', '');
    await page.fill('input[name=address_0]', 'shoufa@zjj.example.gov.cn');
    await page.fill('input[name=label_0]', '办公室收文邮箱');
    await page.click('form[action$="/channels"] button[type=submit]');
    await expect.poll(() => page.locator('.flash.ok').textContent(), { timeout: 20_000 }).toContain('送达渠道（1个）');
    const channels = await h.app.inject({ method: 'GET', url: `/api/v1/units/${A.id}/channels`, headers: office });
    expect(channels.json().channels).toMatchObject([{ channel: 'email', address: 'shoufa@zjj.example.gov.cn', label: '办公室收文邮箱', enabled: true }]);

    // 投递记录: failed first (what the office must deliver another way), every delivery on request.
    await page.goto(`${base}/letters`);
    await page.click('a[href="/deliveries"]');
    await expect.poll(() => page.locator('select[name=status]').inputValue()).toBe('failed');
    await page.selectOption('select[name=status]', '');
    await page.click('form.filters button');
    await expect.poll(() => page.locator('main table').textContent(), { timeout: 20_000 }).toContain('站内收件箱');

    // 调度表: the campaign's first two sheets, compiled by the campaign workflow's own activity as
    // it does at each period's end (the workflow's first period ends a week from now).
    const campaignActivities = createCampaignActivities({ sql: h.sql, notifier: inboxNotifier(h.sql), calendars: createCalendarStore(h.sql) });
    const policy = policySchema.parse({});
    const week = 7 * 86_400_000;
    const now = Date.now();
    for (const seq of [1, 2]) {
      await new MockActivityEnvironment().run(campaignActivities.compileDispatchSheet, { campaignId, seq, periodStart: now - (3 - seq) * week, periodEnd: now - (2 - seq) * week - 1, rules: policy.ratings, policyVersion: policy.version });
    }
    await page.goto(`${base}/campaigns/${campaignId}`);
    await page.click(`a[href="/campaigns/${campaignId}/sheets/1"]`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('第1期调度表');
    await page.click('a:text("下一期")');
    await expect.poll(() => page.locator('h1').textContent()).toBe('第2期调度表');
    await expect.poll(() => page.locator('table.ranking').textContent()).toContain(A.name);
    await page.screenshot({ path: path.join(shots, 'dispatch-sheet.png'), fullPage: true });
    expect((await page.request.get(`${base}/campaigns/${campaignId}/sheets/99`)).status()).toBe(404);
    await ctx.close();

    // A leader reads templates without a form, and opens neither deliveries nor channels.
    const leader = await signIn(leaderToken);
    await leader.page.goto(`${base}/campaigns/${campaignId}/templates/reminder_letter`);
    await expect.poll(() => leader.page.locator('h1').textContent()).toContain('提醒函');
    expect(await leader.page.locator('main form').count()).toBe(0);
    expect((await leader.page.request.get(`${base}/deliveries`)).status()).toBe(403);
    expect((await leader.page.request.get(`${base}/units/${A.id}/channels`)).status()).toBe(403);
    await leader.ctx.close();
  });

  it('shows a campaign, its items and an item as of a past day (回溯), read only, and back to now', async () => {
    // The items of this run started today: as of yesterday the campaign had none. The views'
    // equality with what the API said on a past day is proven on the time-skipping server
    // (tests/as-of.test.ts); here, that the console asks for it and shows it for what it is.
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const { ctx, page } = await signIn(OFFICE_TOKEN);
    await page.goto(`${base}/campaigns/${campaignId}`);
    expect(await page.locator('.as-of').count()).toBe(0);
    await page.locator('.as-of-pick input[name=asOf]').fill(yesterday);
    await page.locator('.as-of-pick button[type=submit]').click();
    await page.waitForURL((u) => u.searchParams.get('asOf') === yesterday);
    await expect.poll(() => page.locator('.as-of').textContent()).toContain('回溯视图');
    expect(await page.locator('.figures .fig b').first().textContent()).toBe('0');
    expect(await page.locator('a[href$="/import"]').count()).toBe(0);
    expect(await page.locator('a[href*="ledger.xlsx"]').getAttribute('href')).toBe(`/campaigns/${campaignId}/ledger.xlsx?asOf=${yesterday}`);
    await page.screenshot({ path: path.join(shots, 'campaign-as-of.png'), fullPage: true });
    const ledger = await page.request.get(`${base}/campaigns/${campaignId}/ledger.xlsx?asOf=${yesterday}`);
    expect([ledger.status(), ledger.headers()['content-disposition']]).toEqual([200, `attachment; filename="ledger-as-of-${yesterday}.xlsx"`]);

    await page.locator('a.button', { hasText: '查看事项' }).click();
    await page.waitForURL(/\/items\?/);
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(yesterday);
    await expect.poll(() => page.locator('main').textContent()).toContain('当日没有符合条件的事项');
    // The same list now, through the banner's way back: the items are there.
    await page.locator('.as-of a').click();
    await expect.poll(() => page.locator('table.items').textContent()).toContain('河道“清四乱”专项整治');
    // An item as of a day before it started is not found; a later day in the future is the present.
    await page.goto(`${base}/items/${itemB}?asOf=${yesterday}`);
    expect(await page.locator('main').textContent()).toContain('页面不存在');
    await page.goto(`${base}/items/${itemB}?asOf=2100-01-01`);
    expect(await page.locator('.as-of').count()).toBe(0);
    expect(await page.locator('details[data-action]').count()).toBeGreaterThan(0);
    await ctx.close();
  });

  it('the office runs a 试运行 from its form, follows its progress and reads the report; a leader reads, a unit may not', async () => {
    const { ctx, page } = await signIn(OFFICE_TOKEN);
    await page.goto(`${base}/simulations`);
    await page.locator('input[name=source][value=synthetic]').check();
    await page.locator('input[name=items]').fill('4');
    await page.locator('select[name=policyB]').selectOption('');
    await page.locator('input[name=days]').fill('7');
    await page.locator('input[name=onTimeRate]').fill('50');
    await page.locator('form.sim-form button[type=submit]').click();
    await page.waitForURL(/\/simulations\/[0-9a-f-]{36}$/);
    // The page follows the run by itself (htmx polling) until the report is there.
    await expect.poll(() => page.locator('#sim-body').textContent(), { timeout: 300_000, interval: 1000 }).toContain('函件与逾期，逐周');
    expect(await page.locator('#sim-body table').first().textContent()).toContain('第1周');
    await expect.poll(() => page.locator('[data-chart=simulation] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#sim-body').textContent()).toContain('按期完成率50%');
    await page.screenshot({ path: path.join(shots, 'simulation.png'), fullPage: true });
    const url = page.url();
    await ctx.close();

    const leader = await signIn(leaderToken);
    await leader.page.goto(url);
    expect(await leader.page.locator('#sim-body').textContent()).toContain('函件与逾期，逐周');
    await leader.page.goto(`${base}/simulations`);
    expect(await leader.page.locator('form.sim-form').count()).toBe(0);
    await leader.ctx.close();
    const unit = await signIn(tokenOf(A));
    expect((await unit.page.goto(url))!.status()).toBe(403);
    expect((await unit.page.goto(`${base}/simulations`))!.status()).toBe(403);
    await unit.ctx.close();
  });

  it('fits a phone (375 px): no sideways scrolling of the page, the navigation and the actions at hand', async () => {
    const { ctx, page } = await signIn(tokenOf(B), { width: 375, height: 740 });
    await page.goto(`${base}/items/${itemB}`);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await page.locator('details[data-action=acknowledge]').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'item-phone.png'), fullPage: true });
    // B on A's item: it may read it, but nothing is offered (A's item is not B's to act on).
    await page.goto(`${base}/items/${itemA}`);
    expect(await page.locator('details[data-action]').count()).toBe(0);
    await ctx.close();
  });

  it('refuses a form without its CSRF token, and a session ends on sign-out', async () => {
    const { ctx, page } = await signIn(tokenOf(B));
    const res = await page.request.post(`${base}/items/${itemB}/act/acknowledge`, { form: { note: 'x' } });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('页面已过期');
    await page.click('.who button');
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${base}/todo`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await ctx.close();
  });

  it('signs out a session idle for two hours, and a token never seen again signs nobody in', async () => {
    const cookieOf = (res: { headers: Record<string, unknown> }, name: string) => {
      const set = ([] as string[]).concat((res.headers['set-cookie'] as string | string[]) ?? []);
      return set.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`))!;
    };
    const login = await h.app.inject({ method: 'GET', url: '/login' });
    expect(login.headers['content-security-policy']).toContain("script-src 'self'");
    const csrfCookie = cookieOf(login, 'rectify_login_csrf');
    const csrf = csrfCookie.split('=')[1]!;
    const form = (token: string) => ({ method: 'POST' as const, url: '/login', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(token)}&_csrf=${csrf}` });
    expect((await h.app.inject(form('rk_made_up'))).statusCode).toBe(401);
    const ok = await h.app.inject(form(tokenOf(B)));
    expect(ok.statusCode).toBe(303);
    const session = cookieOf(ok, 'rectify_session');
    expect(([] as string[]).concat(ok.headers['set-cookie'] as string[]).find((c) => c.startsWith('rectify_session='))).toMatch(/HttpOnly/i);
    expect((await h.app.inject({ method: 'GET', url: '/todo', headers: { cookie: session } })).statusCode).toBe(200);
    await h.sql`update console_sessions set last_seen_at = now() - interval '3 hours' where token = ${tokenOf(B)}`;
    const idle = await h.app.inject({ method: 'GET', url: '/todo', headers: { cookie: session } });
    expect([idle.statusCode, idle.headers.location]).toEqual([303, '/login?next=%2Ftodo']);
    // The API itself never takes the session cookie: it answers to tokens only.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/items', headers: { cookie: session } })).statusCode).toBe(401);
  });
});
