/**
 * Evidence files (佐证材料) through the API: uploaded as multipart, judged by content (not by
 * name), limited in size and count, kept with the item once per content, cited by a report with
 * their SHA-256 in the audit trail, and served only to whoever may read the item.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVIDENCE_BYTES } from '../domain/evidence';
import { sniffEvidence } from '../domain/evidence';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, uploadEvidence, type Harness } from './harness';

let h: Harness;
type Unit = Awaited<ReturnType<typeof unitWithToken>>;
let A: Unit;
let B: Unit;
let leader: Record<string, string>;
let itemA: string;
let itemB: string;

// A 1×1 PNG, a minimal PDF, an executable with a .pdf name.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(64)]);

const upload = (itemId: string, headers: Record<string, string>, files: { name: string; bytes: Buffer }[]) => uploadEvidence(h.app, itemId, headers, files);

beforeAll(async () => {
  h = await startHarness();
  A = await unitWithToken(h, `市住建局-${uniq()}`);
  B = await unitWithToken(h, `市水利局-${uniq()}`);
  const l = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'leader', name: '分管领导' } });
  leader = { authorization: `Bearer ${l.json().token}` };
  const campaignId = await newCampaign(h, { policy: { delivery: null } });
  const r = await h.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/items`,
    headers: office,
    payload: { items: [{ number: '1', content: '雨污分流', deadline: farDeadline(), leadUnits: [A.id] }, { number: '2', content: '河道清障', deadline: farDeadline(), leadUnits: [B.id] }] },
  });
  [itemA, itemB] = r.json().items.map((i: { id: string }) => i.id);
}, 120_000);
afterAll(() => h?.close());

describe('evidence files', () => {
  it('tells files by content: images, PDF, Office and WPS, OFD — not an executable with a .pdf name', () => {
    expect(sniffEvidence(PNG)?.mime).toBe('image/png');
    expect(sniffEvidence(PDF)?.mime).toBe('application/pdf');
    expect(sniffEvidence(EXE)).toBeNull();
    expect(sniffEvidence(Buffer.from('PK\u0003\u0004....[Content_Types].xml....word/document.xml', 'latin1'))?.label).toBe('Word文档');
    expect(sniffEvidence(Buffer.from('PK\u0003\u0004....OFD.xml....Doc_0/Document.xml', 'latin1'))?.mime).toBe('application/ofd');
    expect(sniffEvidence(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))?.label).toBe('Office/WPS文档');
  });

  it('stores an upload once per content, refuses what is not evidence, too large or not the uploader’s item', async () => {
    const ok = await upload(itemA, A.headers, [
      { name: '现场照片.png', bytes: PNG },
      { name: '验收单.pdf', bytes: PDF },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
    const [png, pdf] = ok.json().files;
    expect(png).toMatchObject({ name: '现场照片.png', mime: 'image/png', size: PNG.length, sha256: crypto.createHash('sha256').update(PNG).digest('hex'), unitId: A.id });
    expect(pdf.mime).toBe('application/pdf');
    // The same bytes again (another name): the same file.
    const again = await upload(itemA, A.headers, [{ name: '照片副本.png', bytes: PNG }]);
    expect(again.json().files[0].id).toBe(png.id);

    const exe = await upload(itemA, A.headers, [{ name: '材料.pdf', bytes: EXE }]);
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE', messageZh: expect.stringContaining('不是可接受的佐证材料格式') });
    const big = await upload(itemA, A.headers, [{ name: '大图.png', bytes: Buffer.concat([PNG, Buffer.alloc(MAX_EVIDENCE_BYTES)]) }]);
    expect([big.statusCode, big.json().code]).toEqual([413, 'FILE_TOO_LARGE']);
    const tooMany = await upload(itemA, A.headers, Array.from({ length: 11 }, (_, i) => ({ name: `${i}.pdf`, bytes: PDF })));
    expect([tooMany.statusCode, tooMany.json().code]).toEqual([413, 'TOO_MANY_FILES']);
    expect((await upload(itemA, B.headers, [{ name: 'x.png', bytes: PNG }])).statusCode).toBe(403); // not B's item
    expect((await upload(itemA, leader, [{ name: 'x.png', bytes: PNG }])).statusCode).toBe(403); // read-only
    expect((await upload(itemA, office, [{ name: '核查记录.pdf', bytes: Buffer.concat([PDF, Buffer.from('% office')]) }])).statusCode).toBe(201);
    const json = await h.app.inject({ method: 'POST', url: `/api/v1/items/${itemA}/evidence`, headers: A.headers, payload: { files: [] } });
    expect(json.statusCode).toBe(415);
    // Nothing refused was stored.
    const listed = (await h.app.inject({ method: 'GET', url: `/api/v1/items/${itemA}/evidence`, headers: B.headers })).json().files;
    expect(listed.map((f: { name: string }) => f.name).sort()).toEqual(['核查记录.pdf', '现场照片.png', '验收单.pdf'].sort());
  });

  it('a report cites its files; the audit trail records each SHA-256; whoever may read the item downloads them', async () => {
    const up = (await upload(itemA, A.headers, [{ name: '整改前后对比.png', bytes: Buffer.concat([PNG, Buffer.from('v2')]) }])).json().files[0];
    const other = (await upload(itemB, B.headers, [{ name: 'b.png', bytes: Buffer.concat([PNG, Buffer.from('b')]) }])).json().files[0];
    const act = (segment: string, payload: object, headers = A.headers) => h.app.inject({ method: 'POST', url: `/api/v1/items/${itemA}/${segment}`, headers, payload });
    expect((await act('acknowledge', {})).statusCode).toBe(200);
    // Another item's file, or an unknown id: 400, nothing recorded.
    const foreign = await act('report-progress', { text: '进展', percent: 30, files: [other.id] });
    expect([foreign.statusCode, foreign.json().details[0].path]).toEqual([400, 'body.files.0']);
    const r = await act('report-progress', { text: '已完成管网铺设', percent: 60, files: [up.id] });
    expect(r.statusCode, r.body).toBe(200);
    const detail = (await h.app.inject({ method: 'GET', url: `/api/v1/items/${itemA}`, headers: office })).json();
    const report = detail.history.find((e: { type: string }) => e.type === 'reportProgress');
    expect(report.payload.files).toEqual([{ id: up.id, name: '整改前后对比.png', mime: 'image/png', size: up.size, sha256: up.sha256 }]);
    const dl = await h.app.inject({ method: 'GET', url: `/api/v1/evidence/${up.id}`, headers: B.headers });
    expect(dl.statusCode).toBe(200);
    expect(crypto.createHash('sha256').update(dl.rawPayload).digest('hex')).toBe(up.sha256);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('整改前后对比.png')}`);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/evidence/${up.id}` })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/evidence/${crypto.randomUUID()}`, headers: office })).statusCode).toBe(404);
  });
});
