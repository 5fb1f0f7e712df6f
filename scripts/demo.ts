/**
 * The start command's demo: a small slice of the real hundred-day sprint of seed 002
 * (白脱贫发〔2020〕13号), loaded through the public API so it obeys every rule users do.
 * Loading it again changes nothing (units by name, the campaign by code, items by number).
 */
import type { App } from '../api/app';

const COUNTIES = [
  { name: '洮北区', token: 'demo-taobei' },
  { name: '洮南市', token: 'demo-taonan' },
  { name: '大安市', token: 'demo-daan' },
  { name: '镇赉县', token: 'demo-zhenlai' },
  { name: '通榆县', token: 'demo-tongyu' },
];
const DEPARTMENTS = [
  { name: '白城市住房和城乡建设局', alias: '市住建局', token: 'demo-zhujian' },
  { name: '白城市水利局', alias: '市水利局', token: 'demo-shuili' },
  { name: '白城市医疗保障局', alias: '市医保局', token: 'demo-yibao' },
  { name: '白城市卫生健康委员会', alias: '市卫健委', token: 'demo-weijian' },
  { name: '白城市农业农村局', alias: '市农业农村局', token: 'demo-nongye' },
  { name: '白城市教育局', alias: '市教育局', token: 'demo-jiaoyu' },
  { name: '白城市扶贫开发办公室', alias: '市扶贫办', token: 'demo-fupinban' },
];
const counties = COUNTIES.map((c) => c.name);

const ITEMS = [
  {
    number: '1',
    category: '(一)扎实开展再排查再巩固再提升',
    content: '严格进行排查。严格对照贫困退出和国家普查的相应指标，逐县逐村逐人进行排查，对发现的问题在10月底前清零销号，补齐工作短板。',
    deadline: '2020-10-31',
    leadUnits: counties,
    coUnits: ['市住建局', '市水利局', '市医保局', '市卫健委', '市农业农村局', '市教育局'],
  },
  {
    number: '2',
    category: '(一)扎实开展再排查再巩固再提升',
    content: '强化动态管理。紧盯“三保障”和饮水安全，对发现的问题和短板抓紧补齐，确保10月底前全面达标。',
    deadline: '2020-10-31',
    leadUnits: counties,
    coUnits: ['市住建局', '市水利局', '市医保局', '市卫健委', '市农业农村局', '市教育局'],
  },
  {
    number: '7',
    category: '(三)全力推进小额信贷工作',
    content: '加强小额信贷组织领导。各地成立扶贫小额信贷工作专班，负责本地小额信贷的具体指导、统筹调度、推动落实等工作。',
    kind: 'immediate',
    deadline: '2020-09-30',
    leadUnits: counties,
  },
  {
    number: '18',
    category: '(六)抓好各类问题整改“回头看”工作',
    content: '加强整改推进调度。对未整改完的事项坚持周调度机制，动态跟进，对需要长期坚持整改的，不断完善规章制度，持续抓好整改落实。',
    kind: 'long_term',
    leadUnits: ['市扶贫办'],
    coUnits: counties,
  },
  {
    number: '19',
    category: '(七)努力做好总结宣传工作',
    content: '做好工作总结。认真总结各地各部门取得的成就、经验做法和典型案例，在10月中旬前完成5年和1年“两个总结”。',
    deadline: '2020-10-20',
    leadUnits: ['市扶贫办'],
    coUnits: counties,
  },
];

export interface DemoResult {
  campaignId: string;
  itemsCreated: number;
  tokens: { unit: string; token: string }[];
}

export async function loadDemo(app: App, officeToken: string): Promise<DemoResult> {
  const headers = { authorization: `Bearer ${officeToken}` };
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, h = headers) => {
    const res = await app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  const tokens: DemoResult['tokens'] = [];
  const existing = new Map<string, string>(
    ((await call('GET', '/api/v1/units')).body.units as { id: string; name: string }[]).map((u) => [u.name, u.id]),
  );
  const units = [
    ...COUNTIES.map((c) => ({ ...c, kind: 'county' as const, aliases: [] as string[] })),
    ...DEPARTMENTS.map((d) => ({ ...d, kind: 'department' as const, aliases: [d.alias] })),
  ];
  for (const u of units) {
    let id = existing.get(u.name);
    if (!id) {
      const r = await call('POST', '/api/v1/units', { name: u.name, kind: u.kind, aliases: u.aliases });
      if (r.status !== 201) throw new Error(`demo unit ${u.name}: ${JSON.stringify(r.body)}`);
      id = r.body.id as string;
    }
    await app.principals.issue({ role: 'unit', name: `${u.aliases[0] ?? u.name}联络员`, unitId: id }, u.token);
    tokens.push({ unit: u.aliases[0] ?? u.name, token: u.token });
  }
  await app.principals.issue({ role: 'leader', name: '市脱贫攻坚领导小组' }, 'demo-leader');
  tokens.push({ unit: '领导（只读）', token: 'demo-leader' });

  const campaign = await call('POST', '/api/v1/campaigns', {
    code: 'demo-baicheng-2020-13',
    title: '白城市决战决胜脱贫攻坚“百日冲刺”行动',
    docNumber: '白脱贫发〔2020〕13号',
    issuingBody: '白城市脱贫攻坚领导小组',
    startDate: '2020-09-22',
    endDate: '2020-12-31',
  });
  if (campaign.status >= 300) throw new Error(`demo campaign: ${JSON.stringify(campaign.body)}`);
  const campaignId = campaign.body.id as string;

  const items = await call('POST', `/api/v1/campaigns/${campaignId}/items`, { items: ITEMS });
  if (items.status !== 201) throw new Error(`demo items: ${JSON.stringify(items.body)}`);

  // A little history on first load, so the demo shows more than one state.
  if (items.body.created > 0) {
    const first = items.body.items[0].id as string;
    const taobei = { authorization: 'Bearer demo-taobei' };
    await call('POST', `/api/v1/items/${first}/acknowledge`, {}, taobei);
    await call('POST', `/api/v1/items/${first}/report-progress`, { text: '已完成全区入户排查，发现问题23个，已整改19个。', percent: 80, evidence: ['洮北区排查台账.xlsx'] }, taobei);
    const summary = items.body.items[4].id as string;
    await call('POST', `/api/v1/items/${summary}/acknowledge`, {}, { authorization: 'Bearer demo-fupinban' });
  }
  return { campaignId, itemsCreated: items.body.created as number, tokens };
}
