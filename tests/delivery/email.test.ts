/**
 * E-mail delivery against a real SMTP server (smtp-server on a random local port): what arrives is
 * the letter with its attachment, a Message-ID derived from the idempotency key (the same on a
 * resend, so a copy after a crash is recognisable), and failures sorted into permanent (5xx, bad
 * address, wrong password) and retryable (4xx, nobody listening).
 */
import net from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels, createEmailChannel, DeliveryError, messageIdFor } from '../../delivery';
import { DOCX_BYTES, sampleLetter } from './letter';

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

const received: Received[] = [];
let queued = 0;
let server: SMTPServer;
let port = 0;

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'rectify' && auth.password === 's3cret') return cb(null, { user: auth.username });
      cb(smtpError('Authentication credentials invalid', 535));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('nobody@')) return cb(smtpError('5.1.1 No such user here', 550));
      if (address.address.startsWith('busy@')) return cb(smtpError('4.2.1 Mailbox busy, try again later', 451));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        queued += 1;
        cb(null, `2.0.0 Ok: queued as Q${queued}ABC`);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const smtpUrl = () => `smtp://rectify:s3cret@127.0.0.1:${port}`;
const FROM = '白城市整改办 <noreply@baicheng.gov.cn>';

async function sendAndParse(address: string, letter = sampleLetter()) {
  const channel = createEmailChannel({ url: smtpUrl(), from: FROM });
  const before = received.length;
  try {
    const result = await channel.send(address, letter);
    expect(received.length).toBe(before + 1);
    const mail = received.at(-1)!;
    return { result, mail, parsed: await simpleParser(mail.raw) };
  } finally {
    channel.close();
  }
}

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

const toAddresses = (p: ParsedMail) => ([] as AddressObject[]).concat(p.to ?? []).flatMap((a) => a.value.map((v) => v.address));

describe('e-mail channel', () => {
  it('delivers the letter: Message-ID from the key, subject, recipient, body with 文号 and link, the attachment byte for byte', async () => {
    const letter = sampleLetter();
    const { result, mail, parsed } = await sendAndParse('zhenggai@taobei.gov.cn', letter);

    expect(mail.to).toEqual(['zhenggai@taobei.gov.cn']);
    expect(mail.from).toBe('noreply@baicheng.gov.cn');
    expect(parsed.messageId).toBe(`<${messageIdFor(letter.idempotencyKey)}>`);
    expect(parsed.subject).toBe('白振办函〔2023〕12号 关于加快推进营商环境问题整改的提醒函');
    expect(toAddresses(parsed)).toEqual(['zhenggai@taobei.gov.cn']);
    expect(parsed.from?.value[0]?.name).toBe('白城市整改办');
    expect(parsed.text).toContain('白振办函〔2023〕12号');
    expect(parsed.text).toContain('https://rectify.example.gov.cn/letters/7f3c?unit=u1');
    expect(parsed.text).toContain('洮北区人民政府：');
    // The key holds Chinese: it travels percent-encoded as plain ASCII and decodes to the key.
    const keyHeader = parsed.headers.get('x-rectify-idempotency-key') as string;
    expect(keyHeader).toMatch(/^[\x20-\x7e]+$/);
    expect(decodeURIComponent(keyHeader)).toBe(letter.idempotencyKey);

    expect(parsed.attachments).toHaveLength(1);
    const [att] = parsed.attachments;
    expect(att!.filename).toBe('白振办函〔2023〕12号.docx');
    expect(att!.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(att!.content.equals(DOCX_BYTES)).toBe(true);

    // The queue id from "250 2.0.0 Ok: queued as Q…ABC".
    expect(result.providerMessageId).toMatch(/^Q\d+ABC$/);
  });

  it('sending the same delivery again (a resend after a crash) carries the same Message-ID; another delivery does not', async () => {
    const letter = sampleLetter({ idempotencyKey: 'letter:9/unit:u2/email/a@b.cn' });
    const first = await sendAndParse('a@b.cn', { ...letter, messageId: messageIdFor(letter.idempotencyKey) });
    const again = await sendAndParse('a@b.cn', { ...letter, messageId: messageIdFor(letter.idempotencyKey) });
    expect(first.parsed.messageId).toBe(again.parsed.messageId);
    expect(first.parsed.messageId).toBe(`<${messageIdFor('letter:9/unit:u2/email/a@b.cn')}>`);
    // The server queued two messages, each with its own queue id: the receiver must de-duplicate by Message-ID.
    expect(first.result.providerMessageId).not.toBe(again.result.providerMessageId);

    const other = sampleLetter({ idempotencyKey: 'letter:9/unit:u3/email/a@b.cn' });
    const third = await sendAndParse('a@b.cn', other);
    expect(third.parsed.messageId).not.toBe(first.parsed.messageId);
  });

  it('a 550 for the recipient is permanent', async () => {
    const channel = createEmailChannel({ url: smtpUrl(), from: FROM });
    const before = received.length;
    const err = await failure(channel.send('nobody@taobei.gov.cn', sampleLetter()));
    channel.close();
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('550');
    expect(received.length).toBe(before);
  });

  it('a 451 for the recipient is retryable', async () => {
    const channel = createEmailChannel({ url: smtpUrl(), from: FROM });
    const err = await failure(channel.send('busy@taobei.gov.cn', sampleLetter()));
    channel.close();
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('451');
  });

  it('an address that is not one e-mail address is permanent, and nothing is sent', async () => {
    const channel = createEmailChannel({ url: smtpUrl(), from: FROM });
    const before = received.length;
    for (const bad of ['', 'not an address', 'a@b.cn, c@d.cn']) {
      expect((await failure(channel.send(bad, sampleLetter()))).permanent).toBe(true);
    }
    channel.close();
    expect(received.length).toBe(before);
  });

  it('a wrong password (535) is permanent', async () => {
    const channel = createEmailChannel({ url: `smtp://rectify:wrong@127.0.0.1:${port}`, from: FROM });
    const err = await failure(channel.send('zhenggai@taobei.gov.cn', sampleLetter()));
    channel.close();
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('535');
  });

  it('no server listening is retryable', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const channel = createEmailChannel({ url: `smtp://127.0.0.1:${freePort}`, from: FROM });
    const err = await failure(channel.send('zhenggai@taobei.gov.cn', sampleLetter()));
    channel.close();
    expect(err.permanent).toBe(false);
  });

  it('without an SMTP server configured, e-mail deliveries fail permanently and say what to set', async () => {
    const channels = createChannels({ smtpUrl: null, mailFrom: FROM });
    const err = await failure(channels.email.send('zhenggai@taobei.gov.cn', sampleLetter()));
    channels.close();
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('RECTIFY_SMTP_URL');
  });

  it('createChannels with a url delivers through that server', async () => {
    const channels = createChannels({ smtpUrl: smtpUrl(), mailFrom: FROM });
    const before = received.length;
    const result = await channels.email.send('zhenggai@taobei.gov.cn', sampleLetter());
    channels.close();
    expect(received.length).toBe(before + 1);
    expect(result.providerMessageId).not.toBe('');
  });
});
