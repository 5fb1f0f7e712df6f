/**
 * Idempotency-Key on the creates that are not Temporal updates (api/services/idempotency.ts
 * `once`): a unit, a token, a calendar version, a template version. The same key and body again
 * → the first answer, replayed, and one row; another body → 422; no key → a new row each time; a
 * concurrent twin never makes a second row; a refused request leaves its key free.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalKey, requestHash } from '../api/services/idempotency';
import { newCampaign, office, startHarness, uniq, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // Nothing here runs a workflow: no worker needed.
  h = await startHarness({ worker: false });
});
afterAll(() => h?.close());

type Method = 'POST' | 'PUT';
const send = (method: Method, url: string, payload: object, key?: string) =>
  h.app.inject({ method, url, payload, headers: { ...office, ...(key === undefined ? {} : { 'idempotency-key': key }) } });

/** One create route as the tests drive it: a fresh body, another body, the rows it made. */
interface Route {
  name: string;
  method: Method;
  url: () => Promise<string>;
  status: number;
  body: (tag: string) => object;
  /** What identifies the created row in the answer. */
  id: (answer: Record<string, unknown>) => unknown;
  /** Rows made with this tag's body. */
  rows: (url: string, tag: string) => Promise<number>;
}

const count = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
const WORDING = (tag: string) => ({
  title: `关于{{campaignTitle}}整改事项的提醒 ${tag}`,
  body: `你单位负责的下列事项即将到期：\n\n{{#each items}}{{number}}. {{content}}（时限：{{deadline}}）\n\n{{/each}}请于{{replyBy}}前报送{{officeName}}。${tag}`,
});

const ROUTES: Route[] = [
  {
    name: 'POST /units',
    method: 'POST',
    url: async () => '/api/v1/units',
    status: 201,
    body: (tag) => ({ name: `幂等测试局${tag}`, kind: 'department', aliases: [] }),
    id: (a) => a.id,
    rows: (_, tag) => count(h.sql`select count(*)::int as n from units where name = ${`幂等测试局${tag}`}`),
  },
  {
    name: 'POST /principals',
    method: 'POST',
    url: async () => '/api/v1/principals',
    status: 201,
    body: (tag) => ({ role: 'leader', name: `幂等测试 领导${tag}` }),
    id: (a) => a.token,
    rows: (_, tag) => count(h.sql`select count(*)::int as n from principals where name = ${`幂等测试 领导${tag}`}`),
  },
  {
    name: 'POST /calendar/versions',
    method: 'POST',
    url: async () => '/api/v1/calendar/versions',
    status: 201,
    body: (tag) => ({ name: `节假日安排（幂等测试）${tag}`, year: 2099, holidays: [{ from: '2099-01-01', name: '元旦' }], workdays: [] }),
    id: (a) => a.version,
    rows: (_, tag) => count(h.sql`select count(*)::int as n from calendar_versions where name = ${`节假日安排（幂等测试）${tag}`}`),
  },
  {
    name: 'PUT /campaigns/:id/letter-templates/:type',
    method: 'PUT',
    url: async () => `/api/v1/campaigns/${await newCampaign(h)}/letter-templates/reminder_letter`,
    status: 200,
    body: WORDING,
    id: (a) => a.version,
    rows: (url, tag) => {
      const campaignId = url.split('/')[4]!;
      return count(h.sql`select count(*)::int as n from letter_templates where campaign_id = ${campaignId} and type = 'reminder_letter' and title = ${WORDING(tag).title}`);
    },
  },
];

describe.each(ROUTES)('$name with an Idempotency-Key', (r) => {
  it('answers a retry with the same key and body with the first answer, and creates once', async () => {
    const url = await r.url();
    const tag = uniq();
    const key = `k-${uniq()}`;
    const first = await send(r.method, url, r.body(tag), key);
    expect(first.statusCode, first.body).toBe(r.status);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send(r.method, url, r.body(tag), key);
    expect(again.statusCode, again.body).toBe(r.status);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await r.rows(url, tag)).toBe(1);
  });

  it('refuses the same key with another body (422), and creates nothing for it', async () => {
    const url = await r.url();
    const [tag, other] = [uniq(), uniq()];
    const key = `k-${uniq()}`;
    expect((await send(r.method, url, r.body(tag), key)).statusCode).toBe(r.status);
    const reused = await send(r.method, url, r.body(other), key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', messageZh: expect.stringContaining('幂等键') });
    expect(await r.rows(url, other)).toBe(0);
  });

  it('creates again without a key: two requests, two answers', async () => {
    const url = await r.url();
    const tag = uniq();
    const a = await send(r.method, url, r.body(tag));
    const b = await send(r.method, url, r.body(tag));
    if (r.name === 'POST /units') {
      // A unit's name is its own key: the second is refused, not a second unit.
      expect([a.statusCode, b.statusCode, b.json().code]).toEqual([201, 409, 'NAME_TAKEN']);
      expect(await r.rows(url, tag)).toBe(1);
      return;
    }
    expect([a.statusCode, b.statusCode]).toEqual([r.status, r.status]);
    expect(r.id(a.json())).not.toEqual(r.id(b.json()));
    expect(await r.rows(url, tag)).toBe(2);
  });

  it('lets a concurrent twin make no second row: the same answer, or 409 while the first runs', async () => {
    const url = await r.url();
    const tag = uniq();
    const key = `k-${uniq()}`;
    const answers = await Promise.all([send(r.method, url, r.body(tag), key), send(r.method, url, r.body(tag), key)]);
    const ok = answers.filter((a) => a.statusCode === r.status);
    expect(ok.length, answers.map((a) => a.body).join('\n')).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.statusCode !== r.status)) expect(a.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(new Set(ok.map((a) => JSON.stringify(a.json()))).size).toBe(1);
    expect(await r.rows(url, tag)).toBe(1);
  });

  it('documents the header, and 409/422, in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const path = r.name.split(' ')[1]!.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[`/api/v1${path}`][r.method.toLowerCase()];
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false })]));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });
});

describe('a key whose request failed, or is still running', () => {
  it('frees the key of a refused request, so the corrected request goes through with it', async () => {
    const key = `k-${uniq()}`;
    const name = `幂等测试局${uniq()}`;
    // A contact department not in the directory is refused: nothing created, the key not used up.
    const refused = await send('POST', '/api/v1/units', { name, kind: 'department', contactUnit: `没有这个单位${uniq()}` }, key);
    expect(refused.statusCode).toBe(400);
    const corrected = await send('POST', '/api/v1/units', { name, kind: 'department' }, key);
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect((await send('POST', '/api/v1/units', { name, kind: 'department' }, key)).json().id).toBe(corrected.json().id);
  });

  it('answers 409 in Chinese while the first request runs, and lets a retry take over a claim left by a request that died', async () => {
    const key = `k-${uniq()}`;
    const body = { role: 'leader', name: `幂等测试 领导${uniq()}` };
    // The claim a first request makes before it runs, as if it were still running.
    const who = principalKey({ role: 'office', name: '督查室' });
    await h.sql`insert into idempotency_keys (principal, scope, key, request_hash) values (${who}, 'principals:create', ${key}, ${requestHash(body)})`;
    const busy = await send('POST', '/api/v1/principals', body, key);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE', messageZh: '同一请求正在处理，请稍后重试' });

    // Long past its lease without an answer: the request that claimed it is gone.
    await h.sql`update idempotency_keys set created_at = now() - interval '10 minutes' where key = ${key}`;
    const taken = await send('POST', '/api/v1/principals', body, key);
    expect(taken.statusCode, taken.body).toBe(201);
    // The replayed token is the issued one, and it works.
    const replay = await send('POST', '/api/v1/principals', body, key);
    expect(replay.json().token).toBe(taken.json().token);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${replay.json().token as string}` } });
    expect(me.json()).toMatchObject({ role: 'leader', name: body.name });
  });

  it('keeps keys apart per target: the same key for another campaign’s template is another request', async () => {
    const [one, two] = [await newCampaign(h), await newCampaign(h)];
    const key = `k-${uniq()}`;
    const a = await send('PUT', `/api/v1/campaigns/${one}/letter-templates/reminder_letter`, WORDING('a'), key);
    const b = await send('PUT', `/api/v1/campaigns/${two}/letter-templates/reminder_letter`, WORDING('b'), key);
    expect([a.statusCode, b.statusCode], b.body).toEqual([200, 200]);
    expect([a.json().version, b.json().version]).toEqual([1, 1]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });
});
