/**
 * Importing lists as offices keep them: CSV and .xlsx, deadline phrases, aliases, "各县市区",
 * all or nothing with row-level errors, idempotent re-import, edited files.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
const s = uniq();
const n = {
  zj: `市住建局${s}`,
  sl: `市水利局${s}`,
  fpb: `市扶贫办${s}`,
  tb: `洮北区${s}`,
  tn: `洮南市${s}`,
};

beforeAll(async () => {
  h = await startHarness();
  const add = (name: string, kind: string, aliases: string[] = []) =>
    h.app.inject({ method: 'POST', url: '/api/v1/units', headers: office, payload: { name, kind, aliases } });
  await add(`白城市住房和城乡建设局${s}`, 'department', [n.zj]);
  await add(`白城市水利局${s}`, 'department', [n.sl]);
  await add(`白城市扶贫开发办公室${s}`, 'department', [n.fpb]);
  await add(n.tb, 'county');
  await add(n.tn, 'county');
});
afterAll(() => h?.close());

const csv = (rows: string[][]) => ['序号,类别,整改措施,牵头单位,配合单位,整改时限', ...rows.map((r) => r.map((c) => `"${c}"`).join(','))].join('\n');
const upload = (campaignId: string, body: string | Buffer, type = 'text/csv', q = '') =>
  h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/import${q}`, headers: { ...office, 'content-type': type }, payload: body });

const sprint = (): string[][] => [
  ['1', '再排查再巩固再提升', '严格进行排查，对发现的问题在10月底前清零销号', '各县市区', `${n.zj}、${n.sl}等按职责分工负责落实`, '10月底前'],
  ['7', '全力推进小额信贷工作', '各地成立扶贫小额信贷工作专班', '各县市区具体落实', '', '立行立改'],
  ['18', '抓好问题整改“回头看”', '对未整改完的事项坚持周调度机制', n.fpb, '各县市区', '长期坚持'],
  ['19', '努力做好总结宣传工作', '在10月中旬前完成“两个总结”', n.fpb, '各县市区', '10月中旬前'],
];

describe('importing a task list', () => {
  it('refuses a file with any bad row, names every problem, and imports nothing', async () => {
    const campaignId = await newCampaign(h, { startDate: '2020-09-22', endDate: '2020-12-31' });
    const rows = sprint();
    rows[1]![3] = '市不存在局';
    rows[2]![5] = '尽快';
    rows[3]![0] = '1';
    const r = await upload(campaignId, csv(rows));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'IMPORT_REJECTED' });
    expect(r.json().errors).toEqual([
      { row: 3, column: '牵头单位', value: '市不存在局', reason: expect.stringContaining('unknown unit "市不存在局"') },
      { row: 4, column: '整改时限', value: '尽快', reason: expect.stringContaining('cannot read "尽快"') },
      { row: 5, column: '序号', value: '1', reason: 'number "1" repeats row 2' },
    ]);
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office });
    expect(list.json().items).toEqual([]);
    expect((await upload(campaignId, '编号,内容\n1,x')).json().errors.map((e: { column: string }) => e.column)).toEqual(['牵头单位', '整改时限']);
  });

  it('imports every row with its deadline resolved, expands 各县市区, and re-importing changes nothing', async () => {
    const campaignId = await newCampaign(h, { startDate: '2020-09-22', endDate: '2020-12-31' });
    const dry = await upload(campaignId, csv(sprint()), 'text/csv', '?dryRun=true');
    expect(dry.json()).toMatchObject({ dryRun: true, created: ['1', '7', '18', '19'] });
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office })).json().items).toEqual([]);

    const r = await upload(campaignId, csv(sprint()));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ created: ['1', '7', '18', '19'], updated: [], unchanged: 0 });
    expect(r.json().items.map((i: { number: string; kind: string; deadlineShown: string }) => [i.number, i.kind, i.deadlineShown.split('（')[0]])).toEqual([
      ['1', 'time_limited', '2020-10-31'],
      ['7', 'immediate', '立行立改'],
      ['18', 'long_term', '长期坚持'],
      ['19', 'time_limited', '2020-10-20'],
    ]);
    const items = (await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office })).json().items;
    const one = items.find((i: { number: string }) => i.number === '1');
    expect(one.units.filter((u: { role: string }) => u.role === 'lead').map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining([n.tb, n.tn]));
    expect(one.units.filter((u: { role: string }) => u.role === 'co').map((u: { name: string }) => u.name).sort()).toEqual([`白城市住房和城乡建设局${s}`, `白城市水利局${s}`].sort());

    const again = await upload(campaignId, csv(sprint()));
    expect(again.json()).toMatchObject({ created: [], updated: [], unchanged: 4 });
  });

  it('updates what an edited file changed, and says what', async () => {
    const campaignId = await newCampaign(h, { startDate: '2020-09-22', endDate: '2020-12-31' });
    await upload(campaignId, csv(sprint()));
    const edited = sprint();
    edited[3]![5] = '10月底前';
    edited[3]![2] = '在10月底前完成“两个总结”';
    edited[0]![4] = n.zj;
    const r = await upload(campaignId, csv(edited));
    expect(r.statusCode).toBe(200);
    expect(r.json().updated).toEqual([
      { number: '1', changes: { units: expect.any(Object) } },
      { number: '19', changes: { content: { from: '在10月中旬前完成“两个总结”', to: '在10月底前完成“两个总结”' }, deadline: { from: '2020-10-20', to: '2020-10-31' } } },
    ]);
    expect(r.json().unchanged).toBe(2);
    const items = (await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office })).json().items;
    const nineteen = items.find((i: { number: string }) => i.number === '19');
    expect(nineteen).toMatchObject({ content: '在10月底前完成“两个总结”', deadline: '2020-10-31', deadlineDate: '2020-10-31', deadlineVersion: 2 });
    const one = items.find((i: { number: string }) => i.number === '1');
    expect(one.units.filter((u: { role: string }) => u.role === 'co').map((u: { name: string }) => u.name)).toEqual([`白城市住房和城乡建设局${s}`]);
  });

  it('exports the ledger as .xlsx: one row per item and unit', async () => {
    const campaignId = await newCampaign(h, { startDate: '2020-09-22', endDate: '2020-12-31' });
    await upload(campaignId, csv(sprint()));
    const r = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/ledger.xlsx`, headers: office });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toContain('逾期天数');
    const rows = ws.getSheetValues().slice(3).filter(Boolean) as unknown[][];
    // Item 1: every county (lead) and two co-operating departments, each its own row.
    const itemOne = rows.filter((row) => row[1] === '1');
    expect(itemOne.length).toBeGreaterThanOrEqual(4);
    expect(itemOne.find((row) => row[5] === `白城市住房和城乡建设局${s}`)).toBeDefined();
    const late = itemOne[0]!;
    expect(late[9]).toBe('2020-10-31');
    expect(Number(late[10])).toBeGreaterThan(700);
  });

  it('reads .xlsx as well', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('任务清单');
    ws.addRow(['序号', '类别', '整改措施', '牵头单位', '配合单位', '整改时限']);
    for (const r of sprint()) ws.addRow(r);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const campaignId = await newCampaign(h, { startDate: '2020-09-22', endDate: '2020-12-31' });
    const r = await upload(campaignId, file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.statusCode).toBe(200);
    expect(r.json().created).toEqual(['1', '7', '18', '19']);
  });
});

describe('who may import is decided before the file is read', () => {
  /** A body that never ends: a server that started reading it would never answer. */
  const endless = () => {
    const body = new PassThrough();
    body.write('序号,类别,整改措施,牵头单位,配合单位,整改时限\n');
    return body;
  };

  it('refuses a unit (403), no token and a made-up token (401) without reading the body', async () => {
    const campaignId = await newCampaign(h);
    const unit = await unitWithToken(h, `洮北区-${uniq()}`);
    const callers: [string, Record<string, string>, number][] = [
      ['a unit', unit.headers, 403],
      ['no token', {}, 401],
      ['a made-up token', { authorization: `Bearer made-up-${uniq()}` }, 401],
    ];
    for (const [who, headers, status] of callers) {
      const answer = await Promise.race([
        h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/import`, headers: { ...headers, 'content-type': 'text/csv' }, payload: endless() }),
        new Promise<'still reading the body'>((r) => setTimeout(() => r('still reading the body'), 5_000)),
      ]);
      expect(answer === 'still reading the body' ? answer : answer.statusCode, who).toBe(status);
    }
  });
});
