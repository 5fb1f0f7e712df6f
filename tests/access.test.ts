/**
 * Least privilege, decided in domain/access.ts, checked here route by route and role by role.
 *
 * The table has one row per registered route (taken from the app's OpenAPI document, so a new
 * route without a row fails the first test) and one cell per principal: the office, a leader, the
 * lead unit (主送) and a co-operating unit (抄送) of an item and a letter, an unrelated unit, no
 * token and an unknown token. A cell is the status expected, or 'pass': through the access gate
 * (not 401/403, no 5xx) — for actions whose outcome depends on the item's state (409) or on a
 * resource the office names (404).
 *
 * The rules the table encodes (README "Access"):
 * - no principal (no token, unknown token) on a non-public route: 401; public routes (/health,
 *   calendar arithmetic) ignore the Authorization header entirely: 200 whatever it says.
 * - a role that may never use a route: 403.
 * - a letter a unit is neither addressed nor copied on: 403; a notice not in the caller's inbox:
 *   404 (notice ids are sequential; knowing one says nothing).
 * - a co-operating unit trying a lead-only item action: 409 NOT_LEAD_UNIT (the lifecycle's
 *   refusal, decided by access.ts's itemActorRefusal).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHead, SAMPLE_FACTS } from '../domain/letters/samples';
import { farDeadline, runningCampaign } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
const ROLES = ['none', 'unknown', 'other', 'leader', 'co', 'lead', 'office'] as const;
type Role = (typeof ROLES)[number];
type Cell = number | 'pass';
type Expect = Record<Role, Cell>;
interface Fixture {
  headers: Record<Role, Record<string, string>>;
  lead: { id: string; name: string };
  co: { id: string; name: string };
  other: { id: string; name: string };
  campaignId: string;
  itemId: string;
  letterId: string;
  noticeId: string;
}
let f: Fixture;

beforeAll(async () => {
  h = await startHarness();
  const [lead, co, other] = [await unitWithToken(h, `牵头单位-${uniq()}`), await unitWithToken(h, `配合单位-${uniq()}`), await unitWithToken(h, `无关单位-${uniq()}`)];
  const leaderToken = (await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'leader', name: '分管领导' } })).json().token as string;
  const campaignId = await newCampaign(h);
  const items = await h.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/items`,
    headers: office,
    payload: { items: [{ number: '1', content: '整改事项', deadline: farDeadline(), leadUnits: [lead.id], coUnits: [co.id] }] },
  });
  if (items.statusCode >= 300) throw new Error(items.body);
  const itemId = items.json().items[0].id as string;
  const letterId = await insertLetter(campaignId, lead.id, co.id);
  await insertDelivery(letterId, lead.id, 'to', 'wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-LEAD-KEY');
  await insertDelivery(letterId, co.id, 'cc', 'email', 'co-unit@example.gov.cn');
  await h.app.inject({ method: 'PUT', url: `/api/v1/units/${lead.id}/channels`, headers: office, payload: { channels: [{ channel: 'wecom', address: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-LEAD-KEY' }] } });
  const [n] = await h.sql<{ id: string }[]>`
    insert into notifications (idempotency_key, recipient, title, body) values (${`test:${crypto.randomUUID()}`}, ${lead.id}, '提醒', '请及时处理') returning id`;
  f = {
    headers: {
      none: {},
      unknown: { authorization: 'Bearer no-such-token' },
      other: other.headers,
      leader: { authorization: `Bearer ${leaderToken}` },
      co: co.headers,
      lead: lead.headers,
      office,
    },
    lead,
    co,
    other,
    campaignId,
    itemId,
    letterId,
    noticeId: n!.id,
  };
});
afterAll(() => h?.close());

/** A letter as the letter activity stores it, 主送 `to`, 抄送 `cc`, renderable (sample facts and head). */
async function insertLetter(campaignId: string, to: string, cc: string | null, n = 1) {
  const body = `白测${uniq()}办`;
  const { type: _t, docNumber: _d, ...head } = sampleHead('urging_letter');
  const [row] = await h.sql<{ id: string }[]>`
    insert into letters (idempotency_key, campaign_id, type, issuing_body, kind, year, number, doc_number, unit_id, facts, issued_on, title, head)
    values (${`test:${crypto.randomUUID()}`}, ${campaignId}, 'urging_letter', ${body}, '函', 2026, ${n}, ${`${body}函〔2026〕${n}号`}, ${to},
            ${h.sql.json(SAMPLE_FACTS.urging_letter as never)}, '2026-11-09', '关于加快推进整改的催办函', ${h.sql.json(head as never)})
    returning id`;
  await h.sql`insert into letter_recipients (letter_id, unit_id, role) values (${row!.id}, ${to}, 'to')`;
  if (cc) await h.sql`insert into letter_recipients (letter_id, unit_id, role) values (${row!.id}, ${cc}, 'cc')`;
  return row!.id;
}

async function insertDelivery(letterId: string, unitId: string, role: 'to' | 'cc', channel: string, address: string) {
  const messageId = `<${crypto.randomUUID()}@rectify.test>`;
  await h.sql`
    insert into letter_deliveries (idempotency_key, letter_id, unit_id, role, channel, address, message_id, status, sent_at)
    values (${`test:${crypto.randomUUID()}`}, ${letterId}, ${unitId}, ${role}, ${channel}, ${address}, ${messageId}, 'sent', now())`;
  await h.sql`
    insert into letter_events (key, letter_id, type, unit_id, payload)
    values (${`test:${crypto.randomUUID()}`}, ${letterId}, 'delivered', ${unitId}, ${h.sql.json({ channel, address, messageId })})`;
}

// ---- the table ----------------------------------------------------------------------------

const all = (c: Cell): Expect => ({ none: c, unknown: c, other: c, leader: c, co: c, lead: c, office: c });
/** Every principal may; no principal is 401. */
const everyone = (c: Cell): Expect => ({ ...all(c), none: 401, unknown: 401 });
/** The office only. */
const officeOnly = (c: Cell): Expect => ({ ...all(403), none: 401, unknown: 401, office: c });
/** The units the resource concerns (and whoever else is named). */
const cells = (base: Expect, over: Partial<Expect>): Expect => ({ ...base, ...over });

interface Row {
  expect: Expect;
  /** The concrete request (ids from the fixture); GET without a body by default. */
  url: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  contentType?: string;
}

const BOUNDARY = 'access-test-boundary';
// A 1×1 PNG as a browser uploads it.
const PNG_UPLOAD = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`),
  Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex'),
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);
const ITEM = (seg: string) => (x: Fixture) => `/api/v1/items/${x.itemId}/${seg}`;
const newDeadline = () => farDeadline(200);
/** Unit actions: a unit on the item acts; the office, leaders and units not on it are 403. */
const unitAction = (c: Partial<Expect> = {}): Expect => cells(all(403), { none: 401, unknown: 401, lead: 'pass', co: 'pass', ...c });

const TABLE: Record<string, Row> = {
  'GET /health': { url: () => '/health', expect: all(200) },
  // 试运行: the office runs (a request refused after the gate, so nothing runs here: tests/simulation.test.ts); leaders read.
  'POST /api/v1/simulations': {
    url: () => '/api/v1/simulations',
    body: () => ({ source: { kind: 'seed-002' }, policies: [{ preset: 'default' }], fitBehaviour: true }),
    expect: officeOnly(400),
  },
  'GET /api/v1/simulations': { url: () => '/api/v1/simulations', expect: cells(officeOnly(200), { leader: 200 }) },
  'GET /api/v1/simulations/{id}': { url: () => `/api/v1/simulations/${crypto.randomUUID()}`, expect: cells(officeOnly(404), { leader: 404 }) },
  'GET /api/v1/calendar/days/{date}': { url: () => '/api/v1/calendar/days/2026-10-01', expect: all(200) },
  'GET /api/v1/calendar/add-working-days': { url: () => '/api/v1/calendar/add-working-days?from=2026-09-30&days=3', expect: all(200) },
  'GET /api/v1/calendar/versions': { url: () => '/api/v1/calendar/versions', expect: everyone(200) },
  'POST /api/v1/calendar/versions': {
    url: () => '/api/v1/calendar/versions',
    body: () => ({ name: '测试通知', year: 2099, holidays: [{ from: '2099-10-01', to: '2099-10-03', name: '国庆节' }] }),
    expect: officeOnly('pass'),
  },
  'GET /api/v1/calendar/versions/{version}/preview': { url: () => '/api/v1/calendar/versions/1/preview', expect: officeOnly('pass') },
  // The office's cell names a version that does not exist: activating one would move every test's items.
  'POST /api/v1/calendar/versions/{version}/activate': { url: () => '/api/v1/calendar/versions/999999/activate', expect: officeOnly(404) },

  'GET /api/v1/units': { url: () => '/api/v1/units', expect: everyone(200) },
  'POST /api/v1/units': { url: () => '/api/v1/units', body: () => ({ name: `新单位-${uniq()}`, kind: 'department' }), expect: officeOnly(201) },
  'GET /api/v1/units/{id}/channels': { url: (x) => `/api/v1/units/${x.lead.id}/channels`, expect: everyone(200) },
  'PUT /api/v1/units/{id}/channels': {
    url: (x) => `/api/v1/units/${x.other.id}/channels`,
    body: () => ({ channels: [{ channel: 'email', address: 'other@example.gov.cn' }] }),
    expect: officeOnly(200),
  },
  'PUT /api/v1/units/{id}/contact': { url: (x) => `/api/v1/units/${x.other.id}/contact`, body: (x) => ({ contactUnit: x.lead.id }), expect: officeOnly(200) },
  'POST /api/v1/principals': { url: () => '/api/v1/principals', body: () => ({ role: 'leader', name: '另一位领导' }), expect: officeOnly(201) },
  'GET /api/v1/me': { url: () => '/api/v1/me', expect: everyone(200) },

  'POST /api/v1/campaigns': { url: () => '/api/v1/campaigns', body: () => ({ title: `测试专项-${uniq()}`, ...runningCampaign() }), expect: officeOnly(201) },
  'GET /api/v1/campaigns': { url: () => '/api/v1/campaigns', expect: everyone(200) },
  'GET /api/v1/campaigns/{id}': { url: (x) => `/api/v1/campaigns/${x.campaignId}`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/stats': { url: (x) => `/api/v1/campaigns/${x.campaignId}/stats`, expect: everyone(200) },
  'POST /api/v1/campaigns/{id}/items': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/items`,
    body: (x) => ({ items: [{ number: `9-${uniq()}`, content: '另一事项', deadline: farDeadline(), leadUnits: [x.lead.id] }] }),
    expect: officeOnly('pass'),
  },
  'POST /api/v1/campaigns/{id}/import': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/import?dryRun=true`,
    body: () => '序号,整改事项,牵头单位,整改时限\n1,测试,无,2099-01-01\n',
    contentType: 'text/csv',
    expect: officeOnly('pass'),
  },
  'GET /api/v1/campaigns/{id}/ledger.xlsx': { url: (x) => `/api/v1/campaigns/${x.campaignId}/ledger.xlsx`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/dispatch': { url: (x) => `/api/v1/campaigns/${x.campaignId}/dispatch`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/dispatch-sheets': { url: (x) => `/api/v1/campaigns/${x.campaignId}/dispatch-sheets`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/dispatch-sheets/{seq}': { url: (x) => `/api/v1/campaigns/${x.campaignId}/dispatch-sheets/1`, expect: cells(everyone(404), {}) },
  'GET /api/v1/campaigns/{id}/evaluations': { url: (x) => `/api/v1/campaigns/${x.campaignId}/evaluations`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/evaluations/{seq}': { url: (x) => `/api/v1/campaigns/${x.campaignId}/evaluations/1`, expect: cells(everyone(404), {}) },
  'GET /api/v1/campaigns/{id}/stats/series': { url: (x) => `/api/v1/campaigns/${x.campaignId}/stats/series`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/listed': { url: (x) => `/api/v1/campaigns/${x.campaignId}/listed`, expect: everyone(200) },
  'POST /api/v1/campaigns/{id}/listed/{unitId}/delist': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/listed/${x.lead.id}/delist`,
    body: () => ({ reason: '已整改到位' }),
    expect: officeOnly('pass'),
  },
  // 摘牌申请: the listed unit itself, nobody else (not the office either).
  'POST /api/v1/campaigns/{id}/listed/{unitId}/delisting-application': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/listed/${x.lead.id}/delisting-application`,
    body: () => ({ application: '已整改到位' }),
    expect: cells(all(403), { none: 401, unknown: 401, lead: 'pass' }),
  },
  'POST /api/v1/campaigns/{id}/listed/{unitId}/delisting-review': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/listed/${x.lead.id}/delisting-review`,
    body: () => ({ passed: true, note: '同意' }),
    expect: officeOnly('pass'),
  },

  'GET /api/v1/items': { url: (x) => `/api/v1/items?campaignId=${x.campaignId}`, expect: everyone(200) },
  'GET /api/v1/items/{id}': { url: (x) => `/api/v1/items/${x.itemId}`, expect: everyone(200) },
  'POST /api/v1/items/{id}/acknowledge': { url: ITEM('acknowledge'), body: () => ({}), expect: unitAction({ lead: 200, co: 200 }) },
  'POST /api/v1/items/{id}/evidence': {
    url: ITEM('evidence'),
    body: () => PNG_UPLOAD,
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    expect: cells(all(403), { none: 401, unknown: 401, lead: 201, co: 201, office: 201 }),
  },
  'GET /api/v1/items/{id}/evidence': { url: ITEM('evidence'), expect: everyone(200) },
  'GET /api/v1/evidence/{fileId}': { url: () => `/api/v1/evidence/${crypto.randomUUID()}`, expect: everyone(404) },
  'POST /api/v1/items/{id}/report-progress': { url: ITEM('report-progress'), body: () => ({ text: '正在整改', percent: 30 }), expect: unitAction({ lead: 200, co: 200 }) },
  'POST /api/v1/items/{id}/submit': { url: ITEM('submit'), body: () => ({ summary: '已完成整改' }), expect: unitAction({ co: 409 }) },
  'POST /api/v1/items/{id}/request-extension': { url: ITEM('request-extension'), body: () => ({ newDeadline: newDeadline(), reason: '客观原因' }), expect: unitAction({ co: 409 }) },
  'POST /api/v1/items/{id}/close': { url: ITEM('close'), body: () => ({}), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/reject': { url: ITEM('reject'), body: () => ({ reasons: '材料不全' }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/decide-extension': { url: ITEM('decide-extension'), body: () => ({ approve: true }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/pause': { url: ITEM('pause'), body: () => ({ reason: '暂缓原因' }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/resume': { url: ITEM('resume'), body: () => ({}), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/reassign': { url: ITEM('reassign'), body: (x) => ({ leadUnits: [x.lead.id], coUnits: [x.co.id] }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/reopen': { url: ITEM('reopen'), body: () => ({ newDeadline: newDeadline(), reason: '重新整改' }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/change-deadline': { url: ITEM('change-deadline'), body: () => ({ newDeadline: newDeadline(), reason: '调整时限' }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/recheck': { url: ITEM('recheck'), body: () => ({ passed: true }), expect: officeOnly('pass') },
  'POST /api/v1/items/{id}/cancel': { url: ITEM('cancel'), body: () => ({ reason: '撤销原因' }), expect: officeOnly('pass') },

  'GET /api/v1/letters': { url: () => '/api/v1/letters', expect: everyone(200) },
  'GET /api/v1/letters/{id}': { url: (x) => `/api/v1/letters/${x.letterId}`, expect: cells(everyone(200), { other: 403 }) },
  'GET /api/v1/letters/{id}/document.{format}': { url: (x) => `/api/v1/letters/${x.letterId}/document.html`, expect: cells(everyone(200), { other: 403 }) },
  'POST /api/v1/letters/{id}/receipt': { url: (x) => `/api/v1/letters/${x.letterId}/receipt`, expect: cells(everyone(403), { lead: 200, co: 200 }) },
  'GET /api/v1/deliveries': { url: () => '/api/v1/deliveries', expect: officeOnly(200) },

  'GET /api/v1/campaigns/{id}/letter-templates': { url: (x) => `/api/v1/campaigns/${x.campaignId}/letter-templates`, expect: everyone(200) },
  'GET /api/v1/campaigns/{id}/letter-templates/{type}': { url: (x) => `/api/v1/campaigns/${x.campaignId}/letter-templates/urging_letter`, expect: everyone(200) },
  'PUT /api/v1/campaigns/{id}/letter-templates/{type}': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/letter-templates/bulletin`,
    body: () => ({ title: '关于{{campaignTitle}}的通报', body: '现将有关情况通报如下。' }),
    expect: officeOnly(200),
  },
  // Trying wording (a body given): the office only. Saved wording: tests/templates-api.test.ts.
  'POST /api/v1/campaigns/{id}/letter-templates/{type}/preview': {
    url: (x) => `/api/v1/campaigns/${x.campaignId}/letter-templates/urging_letter/preview`,
    body: () => ({ body: '请抓紧整改。' }),
    expect: officeOnly(200),
  },

  'GET /api/v1/inbox': { url: () => '/api/v1/inbox', expect: cells(everyone(200), { leader: 403 }) },
  'POST /api/v1/inbox/{id}/read': { url: (x) => `/api/v1/inbox/${x.noticeId}/read`, expect: cells(everyone(404), { leader: 403, lead: 200 }) },
};

/** The app's routes as the OpenAPI document lists them ("GET /api/v1/units/{id}/channels"). */
function registeredRoutes(): string[] {
  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('access: every route × every role', () => {
  it('has a row for every registered route (a new route needs its rule here) and none for a route that is gone', () => {
    const routes = registeredRoutes();
    expect(routes.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers each cell as the table says', async () => {
    const wrong: string[] = [];
    for (const [route, row] of Object.entries(TABLE)) {
      const method = route.split(' ')[0] as 'GET' | 'POST' | 'PUT';
      for (const role of ROLES) {
        const body = row.body?.(f);
        const res = await h.app.inject({
          method,
          url: row.url(f),
          headers: { ...f.headers[role], ...(row.contentType ? { 'content-type': row.contentType } : {}) },
          ...(body === undefined ? (method === 'GET' ? {} : { payload: {} }) : { payload: body as string }),
        });
        const want = row.expect[role];
        const ok = want === 'pass' ? ![401, 403].includes(res.statusCode) && res.statusCode < 500 : res.statusCode === want;
        if (!ok) wrong.push(`${route} as ${role}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('channel addresses and delivery details', () => {
  it('shows a unit’s channel addresses to the office and the unit itself; others see only that a channel exists', async () => {
    const url = `/api/v1/units/${f.lead.id}/channels`;
    for (const role of ['office', 'lead'] as const) {
      const res = await h.app.inject({ method: 'GET', url, headers: f.headers[role] });
      expect(res.json().channels[0]).toMatchObject({ channel: 'wecom', address: expect.stringContaining('SECRET-LEAD-KEY') });
    }
    for (const role of ['leader', 'co', 'other'] as const) {
      const res = await h.app.inject({ method: 'GET', url, headers: f.headers[role] });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('SECRET-LEAD-KEY');
      expect(res.json().channels).toEqual([{ id: expect.any(String), channel: 'wecom', enabled: true }]);
    }
  });

  it('shows a copied unit only its own delivery rows and events on a letter; a leader none; the office all', async () => {
    const get = (role: Role) => h.app.inject({ method: 'GET', url: `/api/v1/letters/${f.letterId}`, headers: f.headers[role] });
    const co = await get('co');
    expect(co.statusCode).toBe(200);
    expect(co.body).not.toContain('SECRET-LEAD-KEY');
    expect(co.json().deliveryLedger.map((d: { unitId: string }) => d.unitId)).toEqual([f.co.id]);
    expect(new Set(co.json().events.filter((e: { unitId: string | null }) => e.unitId !== null).map((e: { unitId: string }) => e.unitId))).toEqual(new Set([f.co.id]));
    const lead = await get('lead');
    expect(lead.json().deliveryLedger.map((d: { unitId: string }) => d.unitId)).toEqual([f.lead.id]);
    expect(lead.body).not.toContain('co-unit@example.gov.cn');
    const leader = await get('leader');
    expect(leader.json().deliveryLedger).toEqual([]);
    expect(leader.body).not.toContain('SECRET-LEAD-KEY');
    expect((await get('office')).json().deliveryLedger).toHaveLength(2);
    // The ledger across letters is the office's.
    for (const role of ['leader', 'co', 'lead', 'other'] as const) {
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/deliveries', headers: f.headers[role] })).statusCode).toBe(403);
    }
  });
});

describe('public routes ignore the Authorization header', () => {
  it('answers /health and the calendar arithmetic whatever token, or malformed header, comes with them', async () => {
    for (const authorization of ['Bearer no-such-token', 'Basic dXNlcjpwYXNz', 'garbage', 'Bearer']) {
      for (const url of ['/health', '/api/v1/calendar/days/2026-10-01', '/api/v1/calendar/add-working-days?from=2026-09-30&days=3']) {
        const res = await h.app.inject({ method: 'GET', url, headers: { authorization } });
        expect(`${url} ${authorization}: ${res.statusCode}`).toBe(`${url} ${authorization}: 200`);
      }
    }
    // A non-public route still refuses them.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/units', headers: { authorization: 'Bearer no-such-token' } })).statusCode).toBe(401);
  });
});

describe('paging with a cursor beyond 1,000 rows', () => {
  const ROWS = 1_600;

  it('walks 1,600 deliveries with `after` = the previous page’s `next`', async () => {
    const campaignId = await newCampaign(h);
    const letterId = await insertLetter(campaignId, f.lead.id, null);
    const key = uniq();
    await h.sql`
      insert into letter_deliveries (idempotency_key, letter_id, unit_id, role, channel, address, message_id, status, updated_at)
      select ${`paging:${key}:`} || g, ${letterId}, ${f.lead.id}, 'to', 'email', 'lead' || g || '@example.gov.cn', '<' || g || '.' || ${key} || '@rectify.test>',
             'sent', now() - (g % 7) * interval '1 second'
      from generate_series(1, ${ROWS}) g`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof h.app.inject>> = await h.app.inject({ method: 'GET', url: `/api/v1/deliveries?campaignId=${campaignId}&limit=1000${after ? `&after=${after}` : ''}`, headers: office });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().deliveries.map((d: { id: string }) => d.id));
      after = res.json().next;
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(ROWS);
    expect(new Set(seen).size).toBe(ROWS);
  });

  it('walks 1,600 letters with `after` = the previous page’s `next`', async () => {
    const campaignId = await newCampaign(h);
    const body = `白页${uniq()}办`;
    const { type: _t, docNumber: _d, ...head } = sampleHead('urging_letter');
    const letters = await h.sql<{ id: string }[]>`
      insert into letters (idempotency_key, campaign_id, type, issuing_body, kind, year, number, doc_number, unit_id, facts, issued_on, title, head, created_at)
      select ${`paging:${body}:`} || g, ${campaignId}, 'urging_letter', ${body}, '函', 2026, g, ${body} || '函〔2026〕' || g || '号', ${f.lead.id},
             ${h.sql.json(SAMPLE_FACTS.urging_letter as never)}, '2026-11-09', '催办函', ${h.sql.json(head as never)}, now() - (g % 5) * interval '1 second'
      from generate_series(1, ${ROWS}) g returning id`;
    await h.sql`insert into letter_recipients (letter_id, unit_id, role) select id, ${f.lead.id}, 'to' from unnest(${letters.map((l) => l.id)}::uuid[]) as id`;
    for (const role of ['office', 'lead'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const res: Awaited<ReturnType<typeof h.app.inject>> = await h.app.inject({ method: 'GET', url: `/api/v1/letters?campaignId=${campaignId}&limit=500${after ? `&after=${after}` : ''}`, headers: f.headers[role] });
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().letters.map((l: { id: string }) => l.id));
        after = res.json().next;
        pages++;
      } while (after && pages < 10);
      expect(new Set(seen).size).toBe(ROWS);
      expect(seen).toHaveLength(ROWS);
    }
  });
});
