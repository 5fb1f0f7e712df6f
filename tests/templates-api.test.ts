/**
 * Letter templates through the API against the real stack: the office edits the wording of a
 * letter type per campaign, every save is a new version (the built-in wording stays as version
 * 0), a wording that would break a real letter is refused before it is stored, and the preview
 * shows the sample letter as a unit would receive it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  // Templates never start a workflow: no worker needed.
  h = await startHarness({ worker: false });
});
afterAll(() => h?.close());

const req = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = office) =>
  h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const EDIT_1 = {
  title: '关于{{campaignTitle}}整改事项的温馨提醒',
  body: `你单位负责的下列事项即将到期：

{{#each items}}{{number}}. {{content}}（时限：{{deadline}}）

{{/each}}请于{{replyBy}}前报送{{officeName}}。第一版措辞。`,
};
const EDIT_2 = { ...EDIT_1, body: EDIT_1.body.replace('第一版措辞。', '第二版措辞。') };

describe('letter templates', () => {
  it('lists the built-in wording (version 0) of all seven letter types for a new campaign', async () => {
    const campaignId = await newCampaign(h);
    const res = await req('GET', `/api/v1/campaigns/${campaignId}/letter-templates`);
    expect(res.statusCode).toBe(200);
    const templates = res.json().templates as { type: string; typeLabel: string; version: number; createdBy: string | null }[];
    expect(templates.map((t) => [t.type, t.typeLabel, t.version, t.createdBy])).toEqual([
      ['reminder_letter', '提醒函', 0, null],
      ['urging_letter', '催办函', 0, null],
      ['supervision_letter', '督办函', 0, null],
      ['bulletin', '通报', 0, null],
      ['summons', '约谈通知', 0, null],
      ['listed_supervision', '挂牌督办通知', 0, null],
      ['assignment_letter', '整改工作提醒函', 0, null],
    ]);
    expect(res.json().templates[0].title).toContain('提醒函');
    expect((await req('GET', '/api/v1/campaigns/00000000-0000-4000-8000-000000000000/letter-templates')).statusCode).toBe(404);
  });

  it('saves every edit as a new version, keeps the history, and refuses wording that names an unknown fact', async () => {
    const campaignId = await newCampaign(h);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;

    const v1 = await req('PUT', base, { title: `  ${EDIT_1.title}  `, body: EDIT_1.body });
    expect(v1.statusCode).toBe(200);
    expect(v1.json()).toMatchObject({ type: 'reminder_letter', typeLabel: '提醒函', version: 1, title: EDIT_1.title, createdBy: expect.any(String) });
    expect(v1.json().createdAt).toEqual(expect.any(String));
    const v2 = await req('PUT', base, EDIT_2);
    expect(v2.json().version).toBe(2);

    const history = (await req('GET', base)).json();
    expect(history.current).toMatchObject({ version: 2, body: EDIT_2.body });
    expect(history.versions.map((v: { version: number }) => v.version)).toEqual([2, 1, 0]);
    const first = await req('GET', `${base}?version=1`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 1, body: EDIT_1.body });
    expect((await req('GET', `${base}?version=7`)).statusCode).toBe(404);
    // The campaign's list shows the edit as current; the other types keep the built-in wording.
    const list = (await req('GET', `/api/v1/campaigns/${campaignId}/letter-templates`)).json().templates;
    expect(list.map((t: { version: number }) => t.version)).toEqual([2, 0, 0, 0, 0, 0, 0]);

    const bad = await req('PUT', base, { title: EDIT_1.title, body: '请{{nosuchfact}}于{{replyBy}}前报送。' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TEMPLATE_INVALID', part: 'body', message: expect.stringContaining('nosuchfact') });
    const syntax = await req('PUT', base, { title: '关于{{#if campaignTitle}}的提醒函', body: EDIT_1.body });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json()).toMatchObject({ code: 'TEMPLATE_INVALID', part: 'title' });
    expect((await req('GET', base)).json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1, 0]);

    const tooLong = await req('PUT', base, { title: '题'.repeat(201), body: EDIT_1.body });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().details[0].path).toBe('body.title');
    expect((await req('PUT', `/api/v1/campaigns/${campaignId}/letter-templates/love_letter`, EDIT_1)).statusCode).toBe(400);
  });

  it('previews the sample letter with the edited wording as HTML, and as a PDF', async () => {
    const campaignId = await newCampaign(h);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;

    const builtin = await req('POST', `${base}/preview`, {});
    expect(builtin.statusCode).toBe(200);
    expect(builtin.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(builtin.headers['content-disposition']).toMatch(/^inline/);
    // The sample facts: the addressed unit and the item it is reminded of.
    expect(builtin.body).toContain('市住房和城乡建设局');
    expect(builtin.body).toContain('开展贫困户住房安全“回头看”');
    expect(builtin.body).toContain('特此函告');

    const draft = await req('POST', `${base}/preview`, EDIT_1);
    expect(draft.statusCode).toBe(200);
    expect(draft.body).toContain('第一版措辞');
    expect(draft.body).toContain('温馨提醒');
    expect(draft.body).toContain('开展贫困户住房安全“回头看”');
    // Previewing saves nothing.
    expect((await req('GET', base)).json().current.version).toBe(0);

    await req('PUT', base, EDIT_2);
    expect((await req('POST', `${base}/preview`, {})).body).toContain('第二版措辞');
    expect((await req('POST', `${base}/preview`, { version: 0 })).body).toContain('特此函告');
    expect((await req('POST', `${base}/preview`, { version: 9 })).statusCode).toBe(404);

    const bad = await req('POST', `${base}/preview`, { body: '{{nosuchfact}}' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TEMPLATE_INVALID', part: 'body' });

    const pdf = await req('POST', `${base}/preview`, { format: 'pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const docx = await req('POST', `${base}/preview`, { format: 'docx' });
    expect(docx.statusCode).toBe(200);
    expect(docx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('lets only the office edit: a unit may read and preview but gets 403 on PUT', async () => {
    const campaignId = await newCampaign(h);
    const unit = await unitWithToken(h, `市住建局-${uniq()}`);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/urging_letter`;
    const denied = await req('PUT', base, EDIT_1, unit.headers);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('FORBIDDEN');
    expect((await req('GET', base, undefined, unit.headers)).json().current.version).toBe(0);
    expect((await req('PUT', base, EDIT_1, {})).statusCode).toBe(401);
  });

  it('lets a leader or a unit preview saved wording only: trying wording is the office’s (403)', async () => {
    const campaignId = await newCampaign(h);
    const unit = await unitWithToken(h, `市住建局-${uniq()}`);
    const leaderToken = (await req('POST', '/api/v1/principals', { role: 'leader', name: `分管领导-${uniq()}` })).json().token as string;
    const leader = { authorization: `Bearer ${leaderToken}` };
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;
    for (const who of [leader, unit.headers]) {
      expect((await req('POST', `${base}/preview`, EDIT_1, who)).statusCode).toBe(403);
      expect((await req('POST', `${base}/preview`, { body: EDIT_1.body, format: 'pdf' }, who)).statusCode).toBe(403);
      expect((await req('POST', `${base}/preview`, { title: '关于测试的提醒函' }, who)).statusCode).toBe(403);
      const saved = await req('POST', `${base}/preview`, { version: 0 }, who);
      expect(saved.statusCode).toBe(200);
      expect(saved.body).toContain('特此函告');
    }
    expect((await req('POST', `${base}/preview`, EDIT_1)).statusCode).toBe(200);
  });

  it('refuses deeply nested blocks (depth > 4) with 400, quickly, at preview and at save', async () => {
    const campaignId = await newCampaign(h);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;
    const nest = (d: number) => `${'{{#each @root.items}}'.repeat(d)}x${'{{/each}}'.repeat(d)}`;
    const started = Date.now();
    for (const d of [5, 20, 400]) {
      const preview = await req('POST', `${base}/preview`, { body: `正文。\n\n${nest(d)}`, format: 'pdf' });
      expect(preview.statusCode).toBe(400);
      expect(preview.json()).toMatchObject({ code: 'TEMPLATE_INVALID', part: 'body' });
      expect(preview.json().message).toMatch(/nest/);
      expect((await req('PUT', base, { title: EDIT_1.title, body: `正文。\n\n${nest(d)}` })).statusCode).toBe(400);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    // Four levels (twice what the built-in wording uses) still compose.
    expect((await req('POST', `${base}/preview`, { body: `正文。\n\n${nest(4)}` })).statusCode).toBe(200);
  });

  it('refuses at save, with 400 naming them, characters the PDF fonts cannot draw', async () => {
    const campaignId = await newCampaign(h);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;
    const rare = '\u{1F600}'; // an emoji: none of the letter fonts has it
    const res = await req('PUT', base, { title: EDIT_1.title, body: `${EDIT_1.body}${rare}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'GLYPHS_MISSING', characters: [rare] });
    expect(res.json().message).toContain(rare);
    // In a branch the sample letter does not take, too.
    const hidden = await req('PUT', base, { title: EDIT_1.title, body: `${EDIT_1.body}{{#if false}}${rare}{{/if}}` });
    expect(hidden.statusCode).toBe(400);
    // Nothing was saved: PDFs of letters still render.
    expect((await req('GET', base)).json().current.version).toBe(0);
    expect((await req('POST', `${base}/preview`, { format: 'pdf' })).statusCode).toBe(200);
  });

  it('pages the version history with `limit` and `after` = the previous answer’s `next`', async () => {
    const campaignId = await newCampaign(h);
    const base = `/api/v1/campaigns/${campaignId}/letter-templates/reminder_letter`;
    for (const n of [1, 2, 3]) expect((await req('PUT', base, { ...EDIT_1, body: EDIT_1.body.replace('第一版措辞。', `第${n}版。`) })).statusCode).toBe(200);
    const first = (await req('GET', `${base}?limit=2`)).json();
    expect(first.current.version).toBe(3);
    expect(first.versions.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    expect(first.next).toBe(2);
    const second = (await req('GET', `${base}?limit=2&after=${first.next}`)).json();
    expect(second.current.version).toBe(3);
    expect(second.versions.map((v: { version: number }) => v.version)).toEqual([1, 0]);
    expect(second.next).toBeNull();
    expect((await req('GET', base)).json().versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1, 0]);
  });
});

