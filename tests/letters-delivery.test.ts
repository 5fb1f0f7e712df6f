/**
 * Letters from the ladder to the unit's mailbox, on Temporal's time-skipping server with a real
 * SMTP server (smtp-server) and a real HTTP receiver standing in for the robots: one numbered
 * letter per step, one e-mail per step with the .docx and .pdf that open (and are the bytes the
 * API serves), robots and copies, the ledger, a receipt (签收) stopping the late event that an
 * unsigned letter becomes, a delivery that keeps failing surfaced to the office, and the two
 * crash moments — after the ledger write (nothing resent) and inside the window (resent with
 * the same Message-ID, marked possibly duplicated).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChannels, messageIdFor } from '../delivery';
import { letterWorkflowId, type LetterProgress } from '../workflows/letter';
import { office, uniq, unitWithToken } from './harness';
import { startTimeHarness, type TimeHarness } from './time-harness';

vi.setConfig({ testTimeout: 300_000 });
const HOUR = 3_600_000;

// --- the outside world: a mail server and an HTTP receiver -------------------------------
const mails: ParsedMail[] = [];
const hooks: { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let smtp: SMTPServer;
let receiver: http.Server;
let smtpPort = 0;
let httpBase = '';

/** Fault switches the worker's delivery activity consults (keys of deliveries to crash once). */
const crashAfterSend = new Set<string>();
const crashAfterLedger = new Set<string>();
/** Deliveries whose every attempt dies inside the window (the activity throws, never returns 'failed'). */
const crashAlwaysAfterSend = new Set<string>();
const crashed = new Set<string>();
const faults = {
  afterSend: (key: string) => {
    if ([...crashAlwaysAfterSend].some((prefix) => key.includes(prefix))) throw new Error('worker killed after-send, every attempt (test)');
    crashOnce(key, crashAfterSend, 'after-send');
  },
  afterLedgerWrite: (key: string) => crashOnce(key, crashAfterLedger, 'after-ledger'),
};
function crashOnce(key: string, armed: Set<string>, moment: string) {
  const hit = [...armed].find((prefix) => key.includes(prefix));
  if (hit && !crashed.has(`${moment}:${key}`)) {
    crashed.add(`${moment}:${key}`);
    throw new Error(`worker killed ${moment} (test)`);
  }
}

let h: TimeHarness;
let abbr: string;
let A: Awaited<ReturnType<typeof unitWithToken>>;
let B: Awaited<ReturnType<typeof unitWithToken>>;
let C: Awaited<ReturnType<typeof unitWithToken>>;
let D: Awaited<ReturnType<typeof unitWithToken>>;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(data || '{}') });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/broken')) {
        res.statusCode = 500;
        return res.end('{"error":"down"}');
      }
      res.end(req.url?.startsWith('/wecom') ? '{"errcode":0,"errmsg":"ok"}' : '{"id":"hook-1"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  // Monday 2026-11-02, 16:00 in Shanghai.
  h = await startTimeHarness({
    clock: '@2026-11-02 08:00:00',
    cache: true,
    letters: { channels: createChannels({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: '测试整改办 <office@test.invalid>' }), publicUrl: 'https://rectify.test', faults },
  });
  abbr = `测改办${uniq().slice(0, 6)}`;
  A = await unitWithToken(h, `市住建局-${uniq()}`);
  B = await unitWithToken(h, `市财政局-${uniq()}`);
  C = await unitWithToken(h, `市水利局-${uniq()}`);
  D = await unitWithToken(h, `洮北区-${uniq()}`);
  await channels(A.id, [
    { channel: 'email', address: `a-${A.id.slice(0, 8)}@zjj.test` },
    { channel: 'wecom', address: `${httpBase}/wecom/${A.id}` },
  ]);
  await channels(B.id, [{ channel: 'webhook', address: `${httpBase}/generic/${B.id}` }]);
  await channels(C.id, [{ channel: 'webhook', address: `${httpBase}/broken/${C.id}` }]);
  await channels(D.id, [
    { channel: 'email', address: `d-${D.id.slice(0, 8)}@tbq.test` },
    { channel: 'wecom', address: `${httpBase}/wecom/${D.id}` },
  ]);
});
afterAll(async () => {
  await h?.close();
  smtp?.close();
  receiver?.close();
});

/** The directory says how each unit is reached (written directly: the channels API has its own tests). */
async function channels(unitId: string, list: { channel: string; address: string }[]) {
  for (const c of list) await h.sql`insert into unit_channels (unit_id, channel, address) values (${unitId}, ${c.channel}, ${c.address})`;
}

const post = (url: string, payload: object, headers: Record<string, string> = office) => h.app.inject({ method: 'POST', url, payload, headers });
const get = (url: string, headers: Record<string, string> = office) => h.app.inject({ method: 'GET', url, headers });

const POLICY = () => ({
  reminders: [],
  ladder: [
    { step: 'reminder_letter', after: 'PT0S' },
    { step: 'urging_letter', after: 'PT3H' },
  ],
  delivery: null,
  reportCadence: null,
  lookBack: null,
  letters: { issuer: { mark: '测试市整改工作领导小组办公室', abbreviation: abbr }, officeName: '市整改办', cc: { urging_letter: ['市委督查室'] }, receiptWithin: 'PT2H', deliveryAttempts: 3, atAssignment: false },
});

async function item(lead: string, co: string[] = []) {
  const c = await post('/api/v1/campaigns', { title: `百日攻坚行动${uniq()}`, startDate: '2026-11-02', endDate: '2026-12-31', docNumber: '测发〔2026〕1号', policy: POLICY() });
  expect(c.statusCode, c.body).toBe(201);
  const r = await post(`/api/v1/campaigns/${c.json().id}/items`, { items: [{ number: '7', content: '老旧小区雨污分流改造', deadline: 'PT1H', leadUnits: [lead], coUnits: co }] });
  expect(r.statusCode, r.body).toBe(201);
  return { campaignId: c.json().id as string, itemId: r.json().items[0].id as string };
}

const lettersOf = async (itemId: string) => (await get(`/api/v1/letters?itemId=${itemId}`)).json().letters.reverse();

describe('letters from the ladder', () => {
  it('issues one numbered letter per step, mails it once with documents that open, copies the co-unit, and takes a receipt', async () => {
    const { itemId } = await item(A.id, [B.id]);
    await h.env.sleep(1.5 * HOUR); // the reminder letter (提醒函) at the deadline, 1 h
    await expect.poll(async () => (await lettersOf(itemId)).length, { timeout: 60_000 }).toBe(1);
    const [first] = await lettersOf(itemId);
    expect(first).toMatchObject({ type: 'reminder_letter', typeLabel: '提醒函', docNumber: `${abbr}函〔2026〕1号`, issuedOn: '2026-11-02' });
    expect(first.title).toContain('提醒函');
    expect(first.recipients.map((r: { unitId: string; role: string }) => [r.unitId, r.role])).toEqual([[A.id, 'to'], [B.id, 'cc']]);
    // Every delivery done: A's inbox, mail and robot; B's inbox and webhook.
    await expect.poll(async () => (await get(`/api/v1/letters/${first.id}`)).json().deliveries.sent, { timeout: 60_000 }).toBe(5);

    // One e-mail, to A only, with the key's Message-ID and the letter attached as .docx and .pdf.
    const toA = mails.filter((m) => m.subject?.includes(first.docNumber));
    expect(toA).toHaveLength(1);
    const mail = toA[0]!;
    expect(mail.subject).toBe(`${first.docNumber} ${first.title}`);
    const detail = (await get(`/api/v1/letters/${first.id}`)).json();
    const emailRow = detail.deliveryLedger.find((d: { channel: string }) => d.channel === 'email');
    expect(mail.messageId).toBe(`<${emailRow.messageId}>`);
    // The letter is A's unit letter of that rung and day (domain/letters/batch.ts): its key is the batch's.
    const key = (await h.sql<{ key: string }[]>`select idempotency_key as key from letters where id = ${first.id}`)[0]!.key;
    expect(key).toMatch(new RegExp(`^unit-letter-.*-${A.id}-reminder_letter-2026-11-02:`));
    expect(emailRow.messageId).toBe(messageIdFor(`${key}/${A.id}/email/a-${A.id.slice(0, 8)}@zjj.test`));
    expect(emailRow).toMatchObject({ status: 'sent', attempts: 1, possiblyDuplicated: false });
    expect(mail.text).toContain(`https://rectify.test/api/v1/letters/${first.id}`);
    const docx = mail.attachments.find((a) => a.filename?.endsWith('.docx'))!;
    const pdf = mail.attachments.find((a) => a.filename?.endsWith('.pdf'))!;
    const xml = await (await JSZip.loadAsync(docx.content)).file('word/document.xml')!.async('string');
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"'); // A4
    expect(xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/); // 37 / 26 / 35 / 28 mm
    expect(xml).toMatch(/w:eastAsia="仿宋_GB2312"/);
    expect(xml).toContain(first.docNumber);
    expect(xml).toContain('老旧小区雨污分流改造');
    expect(xml).toContain(A.name); // 主送
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    // The API regenerates the very bytes that were mailed.
    const served = await get(`/api/v1/letters/${first.id}/document.docx`);
    expect(served.statusCode).toBe(200);
    expect(Buffer.compare(served.rawPayload, docx.content)).toBe(0);
    expect(Buffer.compare((await get(`/api/v1/letters/${first.id}/document.pdf`)).rawPayload, pdf.content)).toBe(0);

    // Robots: A's 企业微信 group got markdown with the number; B's system got the generic JSON as a copy.
    const wecom = hooks.filter((x) => x.path === `/wecom/${A.id}`);
    expect(wecom).toHaveLength(1);
    expect(wecom[0]!.body).toMatchObject({ msgtype: 'markdown' });
    expect(JSON.stringify(wecom[0]!.body)).toContain(first.docNumber);
    const generic = hooks.filter((x) => x.path === `/generic/${B.id}`);
    expect(generic).toHaveLength(1);
    expect(generic[0]!.body).toMatchObject({ event: 'letter.issued', docNumber: first.docNumber, role: 'cc' });
    expect(generic[0]!.headers['idempotency-key']).toBeTruthy();

    // B (a copy) cannot sign in A's place for the office; A signs; signing twice keeps the first.
    expect((await post(`/api/v1/letters/${first.id}/receipt`, {})).statusCode).toBe(403);
    const signed = await post(`/api/v1/letters/${first.id}/receipt`, {}, A.headers);
    expect(signed.statusCode, signed.body).toBe(200);
    const at = signed.json().recipients.find((r: { unitId: string }) => r.unitId === A.id).receiptedAt;
    expect(at).not.toBeNull();
    expect((await post(`/api/v1/letters/${first.id}/receipt`, {}, A.headers)).json().recipients.find((r: { unitId: string }) => r.unitId === A.id).receiptedAt).toBe(at);

    // The urging letter (催办函) at 4 h: the next number, 抄送 市委督查室; A does not sign it.
    await h.env.sleep(6 * HOUR);
    const all = await lettersOf(itemId);
    expect(all.map((l: { type: string; docNumber: string }) => [l.type, l.docNumber])).toEqual([
      ['reminder_letter', `${abbr}函〔2026〕1号`],
      ['urging_letter', `${abbr}函〔2026〕2号`],
    ]);
    const urging = all[1];
    const urgingXml = await (await JSZip.loadAsync((await get(`/api/v1/letters/${urging.id}/document.docx`)).rawPayload)).file('word/document.xml')!.async('string');
    expect(urgingXml).toContain('市委督查室');
    // Signed in time: no late event. Not signed: a late event on the letter and in both inboxes.
    const firstNow = (await get(`/api/v1/letters/${first.id}`)).json();
    expect(firstNow.recipients.find((r: { unitId: string }) => r.unitId === A.id).overdueAt).toBeNull();
    expect(firstNow.events.map((e: { type: string }) => e.type)).not.toContain('receipt_overdue');
    expect(firstNow.deliveryLedger.filter((d: { unitId: string }) => d.unitId === A.id).every((d: { status: string }) => d.status === 'receipted')).toBe(true);
    const urgingNow = (await get(`/api/v1/letters/${urging.id}`)).json();
    expect(urgingNow.recipients.find((r: { unitId: string }) => r.unitId === A.id).overdueAt).not.toBeNull();
    expect(urgingNow.events.filter((e: { type: string }) => e.type === 'receipt_overdue')).toHaveLength(1);
    const overdueNotices = await h.sql`select recipient from notifications where idempotency_key = ${`receipt_overdue:${urging.id}:${A.id}`} order by recipient nulls first`;
    expect(overdueNotices.map((n) => n.recipient)).toEqual([null, A.id]);
    expect((await get(`/api/v1/letters?status=receipt_overdue&itemId=${itemId}`)).json().letters.map((l: { id: string }) => l.id)).toEqual([urging.id]);
    // Each unit's inbox holds its copies, linked to the letters.
    const inbox = await h.sql`select letter_id from notifications where recipient = ${B.id} and letter_id is not null`;
    expect(inbox.map((n) => n.letterId).sort()).toEqual([first.id, urging.id].sort());
    // Still exactly one e-mail per step.
    expect(mails.filter((m) => m.to && JSON.stringify(m.to).includes(`a-${A.id.slice(0, 8)}`))).toHaveLength(2);
  });

  it('gives up on a delivery that keeps failing after the policy’s attempts and tells the office', async () => {
    const { itemId } = await item(C.id);
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOf(itemId)).length, { timeout: 60_000 }).toBe(1);
    const [letter] = await lettersOf(itemId);
    await expect
      .poll(async () => (await get(`/api/v1/letters/${letter.id}`)).json().deliveryLedger.find((d: { channel: string }) => d.channel === 'webhook')?.status, { timeout: 120_000 })
      .toBe('failed');
    const row = (await get(`/api/v1/letters/${letter.id}`)).json().deliveryLedger.find((d: { channel: string }) => d.channel === 'webhook');
    expect(row.attempts).toBe(3);
    expect(row.lastError).toMatch(/500/);
    expect(hooks.filter((x) => x.path === `/broken/${C.id}`)).toHaveLength(3);
    const [notice] = await h.sql`select title, body from notifications where idempotency_key = ${`delivery_failed:${row.id}`} and recipient is null`;
    expect(notice!.title).toBe(`【送达失败】${letter.docNumber}`);
    expect(notice!.body).toContain(C.name);
    const failed = (await get(`/api/v1/deliveries?status=failed&channel=webhook`)).json().deliveries;
    expect(failed.map((d: { id: string }) => d.id)).toContain(row.id);
    // The inbox copy still arrived.
    expect((await get(`/api/v1/letters/${letter.id}`)).json().deliveryLedger.find((d: { channel: string }) => d.channel === 'inbox').status).toBe('sent');
  });

  it('after a crash past the ledger write sends nothing again; inside the window resends with the same Message-ID, marked', async () => {
    crashAfterSend.add(`/${D.id}/email/`);
    crashAfterLedger.add(`/${D.id}/wecom/`);
    const { itemId } = await item(D.id);
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOf(itemId)).length, { timeout: 60_000 }).toBe(1);
    const [letter] = await lettersOf(itemId);
    await expect.poll(async () => (await get(`/api/v1/letters/${letter.id}`)).json().deliveries.sent, { timeout: 120_000 }).toBe(3);
    const ledger = (await get(`/api/v1/letters/${letter.id}`)).json().deliveryLedger;
    const email = ledger.find((d: { channel: string }) => d.channel === 'email');
    const wecom = ledger.find((d: { channel: string }) => d.channel === 'wecom');
    expect(crashed.size).toBeGreaterThanOrEqual(2);
    // Inside the window: the server got it twice, both with the same Message-ID; the ledger says so.
    const toD = mails.filter((m) => JSON.stringify(m.to).includes(`d-${D.id.slice(0, 8)}`));
    expect(toD).toHaveLength(2);
    expect(new Set(toD.map((m) => m.messageId))).toEqual(new Set([`<${email.messageId}>`]));
    expect(email).toMatchObject({ status: 'sent', attempts: 2, possiblyDuplicated: true });
    // After the ledger write: the retry found 'sent' and sent nothing.
    expect(hooks.filter((x) => x.path === `/wecom/${D.id}`)).toHaveLength(1);
    expect(wecom).toMatchObject({ status: 'sent', attempts: 1, possiblyDuplicated: false });
    // One letter, one number, whatever happened underneath.
    expect((await h.sql`select count(*)::int as n from letters where ${itemId}::uuid = any(item_ids)`)[0]!.n).toBe(1);
  });

  it('a delivery whose last attempt throws (or times out) is marked failed and the office told; the letter still awaits its receipt', async () => {
    const E = await unitWithToken(h, `市交通局-${uniq()}`);
    await channels(E.id, [{ channel: 'webhook', address: `${httpBase}/generic/${E.id}` }]);
    crashAlwaysAfterSend.add(`/${E.id}/webhook/`);
    const { itemId } = await item(E.id);
    await h.env.sleep(1.5 * HOUR);
    await expect.poll(async () => (await lettersOf(itemId)).length, { timeout: 60_000 }).toBe(1);
    const [letter] = await lettersOf(itemId);
    // The workflow completes (it used to fail on the ActivityFailure): the failure counted, the
    // receipt awaited and, unsigned, the late event recorded.
    const progress: LetterProgress = await h.env.client.workflow.getHandle(letterWorkflowId(letter.id)).result();
    expect(progress).toMatchObject({ deliveries: 2, sent: 1, failed: 1, overdue: [E.id], done: true });
    const detail = (await get(`/api/v1/letters/${letter.id}`)).json();
    const row = detail.deliveryLedger.find((d: { channel: string }) => d.channel === 'webhook');
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row.lastError).toMatch(/worker killed after-send/);
    expect(detail.deliveryLedger.find((d: { channel: string }) => d.channel === 'inbox').status).toBe('sent');
    expect(detail.events.filter((e: { type: string }) => e.type === 'delivery_failed')).toHaveLength(1);
    expect(detail.events.filter((e: { type: string }) => e.type === 'receipt_overdue')).toHaveLength(1);
    const notices = await h.sql`select title, body from notifications where idempotency_key = ${`delivery_failed:${row.id}`} and recipient is null`;
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toBe(`【送达失败】${letter.docNumber}`);
    expect(notices[0]!.body).toContain(E.name);
  });
});
