/**
 * The start command's demo: the real hundred-day sprint of seed 002 (白脱贫发〔2020〕13号):
 * its units (through the API) and its 21 tasks imported with the same importer offices use,
 * from the spreadsheet the project ships (demo/baicheng-2020-13.xlsx). Loading it again changes
 * nothing (units by name, the campaign by code, items by number). Beside it, seed 000's campaign:
 * 8 feedback problems, 42 measures, 16 departments, assigned at once — 16 整改工作提醒函.
 */
import fs from 'node:fs';
import type { App } from '../api/app';
import { CAMPAIGN_000, DEADLINE_000, DEPARTMENTS_000, MEASURES_000 } from '../demo/seed-000';
import { CAMPAIGN, COUNTIES, DEPARTMENTS } from '../demo/seed-002';
import { DEMO_SHEET } from './demo-sheet';

export interface DemoResult {
  campaignId: string;
  itemsCreated: number;
  /** Seed 000's feedback-problem campaign: 42 measures of 16 departments, assigned in one batch. */
  feedback: { campaignId: string; itemsCreated: number };
  tokens: { unit: string; token: string }[];
}

export async function loadDemo(app: App, officeToken: string): Promise<DemoResult> {
  const headers = { authorization: `Bearer ${officeToken}` };
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, h = headers) => {
    const res = await app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  const tokens: DemoResult['tokens'] = [];
  const existing = new Map<string, string>(((await call('GET', '/api/v1/units')).body.units as { id: string; name: string }[]).map((u) => [u.name, u.id]));
  const units = [
    ...COUNTIES.map((c) => ({ ...c, kind: 'county' as const, aliases: [] as string[] })),
    ...DEPARTMENTS.map((d) => ({ ...d, kind: d.alias === '各包保部门' ? ('other' as const) : ('department' as const), aliases: [d.alias] })),
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

  const campaign = await call('POST', '/api/v1/campaigns', CAMPAIGN);
  if (campaign.status >= 300) throw new Error(`demo campaign: ${JSON.stringify(campaign.body)}`);
  const campaignId = campaign.body.id as string;

  const report = await app.imports.run(campaignId, fs.readFileSync(DEMO_SHEET), { role: 'office', name: '督查室' });

  // A little history on first load, so the demo shows more than one state.
  if (report.created.length > 0) {
    const items = (await call('GET', `/api/v1/items?campaignId=${campaignId}&limit=100`)).body.items as { id: string; number: string }[];
    const byNumber = (n: string) => items.find((i) => i.number === n)!.id;
    const taobei = { authorization: 'Bearer demo-taobei' };
    await call('POST', `/api/v1/items/${byNumber('1')}/acknowledge`, {}, taobei);
    await call('POST', `/api/v1/items/${byNumber('1')}/report-progress`, { text: '已完成全区入户排查，发现问题23个，已整改19个。', percent: 80, evidence: ['洮北区排查台账.xlsx'] }, taobei);
    await call('POST', `/api/v1/items/${byNumber('19')}/acknowledge`, {}, { authorization: 'Bearer demo-fupinban' });
  }
  // Seed 000: the 42 measures in one create call, so each of the 16 departments gets one letter.
  const known = new Map<string, string>(((await call('GET', '/api/v1/units')).body.units as { id: string; name: string }[]).map((u) => [u.name, u.id]));
  const byAlias = new Map<string, string>();
  for (const d of DEPARTMENTS_000) {
    let id = known.get(d.name);
    if (!id) {
      const r = await call('POST', '/api/v1/units', { name: d.name, kind: 'department', aliases: [d.alias] });
      if (r.status !== 201) throw new Error(`demo unit ${d.name}: ${JSON.stringify(r.body)}`);
      id = r.body.id as string;
    }
    byAlias.set(d.alias, id);
  }
  const feedback = await call('POST', '/api/v1/campaigns', CAMPAIGN_000);
  if (feedback.status >= 300) throw new Error(`demo campaign: ${JSON.stringify(feedback.body)}`);
  const feedbackId = feedback.body.id as string;
  const measures = await call('POST', `/api/v1/campaigns/${feedbackId}/items`, {
    items: MEASURES_000.map((m) => ({ number: m.number, category: m.category, content: m.content, deadline: DEADLINE_000, leadUnits: [byAlias.get(m.lead)!], coUnits: m.co.map((c) => byAlias.get(c)!) })),
  });
  if (measures.status !== 201) throw new Error(`demo measures: ${JSON.stringify(measures.body)}`);

  return { campaignId, itemsCreated: report.created.length, feedback: { campaignId: feedbackId, itemsCreated: measures.body.created as number }, tokens };
}
