/**
 * The in-app inbox and unit channels through the API against the real stack. Notices are
 * written straight into the notifications table (as the workflows' notifier does), so these
 * tests watch what a unit and the office see: only their own notices, the unread count, marking
 * read, paging; and the office keeping each unit's delivery channels, all or nothing.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // Nothing here starts a workflow: no worker needed.
  h = await startHarness({ worker: false });
});
afterAll(() => h?.close());

const req = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = office) =>
  h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

/** A notice as the notifier writes it; recipient null = the office. Returns its id. */
async function notify(recipient: string | null, title: string, extra: { letterId?: string } = {}) {
  const [row] = await h.sql<{ id: string }[]>`
    insert into notifications (idempotency_key, recipient, title, body, letter_id)
    values (${`test:${crypto.randomUUID()}`}, ${recipient}, ${title}, ${`${title}：请及时处理。`}, ${extra.letterId ?? null})
    returning id`;
  return row!.id;
}

/** A letter row as the letter activity stores it (migrations 005 + 006). */
async function letter(campaignId: string, unitId: string) {
  const body = `白测${uniq()}办`;
  const docNumber = `${body}函〔2026〕1号`;
  const [row] = await h.sql<{ id: string }[]>`
    insert into letters (idempotency_key, campaign_id, type, issuing_body, kind, year, number, doc_number, unit_id, facts, issued_on, title, head)
    values (${`test:${crypto.randomUUID()}`}, ${campaignId}, 'urging_letter', ${body}, '函', 2026, 1, ${docNumber}, ${unitId},
            ${h.sql.json({})}, '2026-11-09', '关于加快推进整改的催办函', ${h.sql.json({})})
    returning id`;
  return { id: row!.id, docNumber };
}

describe('inbox', () => {
  it('shows a unit only its own notices, newest first, with the unread count and the letter they deliver', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const sl = await unitWithToken(h, `市水利局-${uniq()}`);
    const campaignId = await newCampaign(h);
    const l = await letter(campaignId, zj.id);
    const first = await notify(zj.id, '整改事项即将到期');
    const second = await notify(zj.id, '催办函', { letterId: l.id });
    const other = await notify(sl.id, '水利局的提醒');
    const forOffice = await notify(null, '有单位逾期未报送');

    const mine = await req('GET', '/api/v1/inbox', undefined, zj.headers);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ unread: 2, next: null });
    const notices = mine.json().notifications;
    expect(notices.map((n: { id: string }) => n.id)).toEqual([second, first]);
    expect(notices[0]).toMatchObject({
      title: '催办函',
      letterId: l.id,
      campaignId,
      readAt: null,
      letter: {
        docNumber: l.docNumber,
        type: 'urging_letter',
        title: '关于加快推进整改的催办函',
        links: { docx: `/api/v1/letters/${l.id}/document.docx`, pdf: `/api/v1/letters/${l.id}/document.pdf`, html: `/api/v1/letters/${l.id}/document.html` },
      },
    });
    expect(notices[1]).toMatchObject({ title: '整改事项即将到期', letter: null, letterId: null, itemId: null, campaignId: null });

    // The other unit sees its own; the office sees the office's and none of the units'.
    expect((await req('GET', '/api/v1/inbox', undefined, sl.headers)).json().notifications.map((n: { id: string }) => n.id)).toEqual([other]);
    const officeIds = (await req('GET', '/api/v1/inbox?limit=200')).json().notifications.map((n: { id: string }) => n.id);
    expect(officeIds).toContain(forOffice);
    expect(officeIds).not.toContain(first);
    expect(officeIds).not.toContain(other);
  });

  it('marks a notice read once (idempotent), counts it out of unread, and 404s on a notice that is not yours', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const sl = await unitWithToken(h, `市水利局-${uniq()}`);
    const a = await notify(zj.id, '提醒一');
    const b = await notify(zj.id, '提醒二');
    const theirs = await notify(sl.id, '水利局的提醒');
    const forOffice = await notify(null, '办公室的提醒');

    const read = await req('POST', `/api/v1/inbox/${a}/read`, undefined, zj.headers);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: a, readAt: expect.any(String) });
    const again = await req('POST', `/api/v1/inbox/${a}/read`, undefined, zj.headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().readAt).toBe(read.json().readAt);

    const inbox = (await req('GET', '/api/v1/inbox', undefined, zj.headers)).json();
    expect(inbox.unread).toBe(1);
    const unread = (await req('GET', '/api/v1/inbox?unread=true', undefined, zj.headers)).json();
    expect(unread.notifications.map((n: { id: string }) => n.id)).toEqual([b]);

    expect((await req('POST', `/api/v1/inbox/${theirs}/read`, undefined, zj.headers)).statusCode).toBe(404);
    expect((await req('POST', `/api/v1/inbox/${forOffice}/read`, undefined, zj.headers)).statusCode).toBe(404);
    expect((await req('POST', `/api/v1/inbox/${theirs}/read`)).statusCode).toBe(404); // the office's inbox is not the units'
    expect((await req('POST', `/api/v1/inbox/${forOffice}/read`)).statusCode).toBe(200);
    expect((await req('POST', '/api/v1/inbox/99999999999/read', undefined, zj.headers)).statusCode).toBe(404);
    expect((await req('POST', '/api/v1/inbox/abc/read', undefined, zj.headers)).statusCode).toBe(400);
    // The other unit's notice is still unread.
    expect((await req('GET', '/api/v1/inbox', undefined, sl.headers)).json().unread).toBe(1);
  });

  it('pages newest first with after = next', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await notify(zj.id, `提醒${i}`));
    const page = (after?: string) => req('GET', `/api/v1/inbox?limit=2${after ? `&after=${after}` : ''}`, undefined, zj.headers).then((r) => r.json());
    const p1 = await page();
    expect(p1.notifications.map((n: { title: string }) => n.title)).toEqual(['提醒5', '提醒4']);
    expect(p1.unread).toBe(5);
    const p2 = await page(p1.next);
    expect(p2.notifications.map((n: { title: string }) => n.title)).toEqual(['提醒3', '提醒2']);
    const p3 = await page(p2.next);
    expect(p3.notifications.map((n: { title: string }) => n.title)).toEqual(['提醒1']);
    expect(p3.next).toBeNull();
  });

  it('tells a leader there is no inbox for them (403)', async () => {
    const leader = await req('POST', '/api/v1/principals', { role: 'leader', name: `分管领导-${uniq()}` });
    const res = await req('GET', '/api/v1/inbox', undefined, { authorization: `Bearer ${leader.json().token}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/leaders have no inbox/);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/inbox' })).statusCode).toBe(401);
  });
});

describe('unit channels', () => {
  const valid = [
    { channel: 'email', address: 'zjj-office@baicheng.gov.cn', label: '办公室收文邮箱' },
    { channel: 'wecom', address: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123' },
    { channel: 'webhook', address: 'https://oa.baicheng.gov.cn/hooks/letters', enabled: false },
  ];

  it('replaces a unit’s channels and lists them', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const url = `/api/v1/units/${zj.id}/channels`;
    expect((await req('GET', url)).json()).toEqual({ channels: [] });

    const put = await req('PUT', url, { channels: valid });
    expect(put.statusCode).toBe(200);
    const got = (await req('GET', url, undefined, zj.headers)).json().channels;
    const shape = (c: { channel: string; address: string; label: string | null; enabled: boolean }) => [c.channel, c.address, c.label, c.enabled];
    expect(got.map(shape).sort()).toEqual(
      [
        ['email', 'zjj-office@baicheng.gov.cn', '办公室收文邮箱', true],
        ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123', null, true],
        ['webhook', 'https://oa.baicheng.gov.cn/hooks/letters', null, false],
      ].sort(),
    );
    expect(got[0]).toMatchObject({ id: expect.any(String), createdAt: expect.any(String) });

    // Replacing again: a kept channel keeps its id; a dropped one is gone.
    const emailId = got.find((c: { channel: string }) => c.channel === 'email').id;
    const next = await req('PUT', url, { channels: [{ ...valid[0], label: '收文邮箱' }] });
    expect(next.json().channels).toEqual([expect.objectContaining({ id: emailId, label: '收文邮箱', channel: 'email' })]);

    expect((await req('GET', '/api/v1/units/00000000-0000-4000-8000-000000000000/channels')).statusCode).toBe(404);
    expect((await req('PUT', '/api/v1/units/00000000-0000-4000-8000-000000000000/channels', { channels: valid })).statusCode).toBe(404);
  });

  it('refuses a bad address or a duplicate row with its path, and leaves the old list unchanged', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const url = `/api/v1/units/${zj.id}/channels`;
    await req('PUT', url, { channels: valid });
    const before = (await req('GET', url)).json();

    const badEmail = await req('PUT', url, { channels: [{ channel: 'email', address: 'not-an-address' }, valid[1]] });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().details).toEqual([{ path: 'body.channels.0.address', message: expect.stringContaining('not-an-address') }]);

    const badUrl = await req('PUT', url, { channels: [valid[0], { channel: 'dingtalk', address: 'ftp://oapi.dingtalk.com/robot' }] });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().details.map((d: { path: string }) => d.path)).toEqual(['body.channels.1.address']);

    const dup = await req('PUT', url, { channels: [valid[0], valid[1], { channel: 'email', address: 'ZJJ-office@baicheng.gov.cn' }] });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().details).toEqual([{ path: 'body.channels.2.address', message: expect.stringContaining('channels.0') }]);

    const tooMany = await req('PUT', url, { channels: Array.from({ length: 21 }, (_, i) => ({ channel: 'email', address: `u${i}@example.com` })) });
    expect(tooMany.statusCode).toBe(400);

    expect((await req('GET', url)).json()).toEqual(before);
  });

  it('lets only the office change channels (403 for a unit, even its own)', async () => {
    const zj = await unitWithToken(h, `市住建局-${uniq()}`);
    const url = `/api/v1/units/${zj.id}/channels`;
    const denied = await req('PUT', url, { channels: valid }, zj.headers);
    expect(denied.statusCode).toBe(403);
    expect((await req('GET', url)).json().channels).toEqual([]);
  });
});
