/**
 * What each channel says about a letter, as pure data: the generic webhook's JSON, the group-robot
 * messages of 企业微信, 钉钉 and 飞书, and the plain-text mail. Robots get the facts and a link (where
 * the letter is signed for), never the documents; the mail carries them as attachments. Kept free
 * of I/O so the wording and shapes can be checked without a server.
 */
import { chineseDate } from '../domain/letters/types';
import type { OutgoingLetter, WebhookKind } from './types';

const ROLE_LABEL = { to: '主送', cc: '抄送' } as const;
const LINK_TEXT = '查看并签收';
const TRUNCATED = '……（全文见链接）';

/**
 * Robots refuse oversized messages outright (企业微信: markdown content at most 4096 bytes; 钉钉 and
 * 飞书 about 20 KB per request), which would fail a delivery for good. The summary is shortened to
 * fit; everything else (文号, link) always goes out whole.
 */
const MAX_BYTES = { wecom: 4096, dingtalk: 18_000, feishu: 18_000 } as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `text` (whole characters) within `budget` UTF-8 bytes, marked as cut. */
function cut(text: string, budget: number): string {
  if (bytes(text) <= budget) return text;
  let out = '';
  let used = bytes(TRUNCATED);
  for (const ch of text) {
    used += bytes(ch);
    if (used > budget) break;
    out += ch;
  }
  return out.trimEnd() + TRUNCATED;
}

/**
 * Renders with the whole summary if it fits, else with the summary cut to what is left (again,
 * tighter, when the rendering itself grows the cut text, e.g. 钉钉's doubled line breaks).
 */
function fitted<T>(summary: string, max: number, render: (summary: string) => T, size: (t: T) => number): T {
  const whole = render(summary);
  if (size(whole) <= max) return whole;
  let budget = max - size(render(''));
  for (;;) {
    const out = render(cut(summary, Math.max(0, budget)));
    const over = size(out) - max;
    if (over <= 0 || budget <= 0) return out;
    budget -= over;
  }
}

const paragraphs = (summary: string) =>
  summary
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

/** A URL inside markdown link syntax: parentheses and spaces would end the link early. */
const mdUrl = (url: string) => url.replace(/[()\s]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)));

/** The facts every robot message lists, in the order a reader looks for them. */
function factLines(letter: OutgoingLetter): string[] {
  return [
    `文号：${letter.docNumber}`,
    `${ROLE_LABEL[letter.role]}：${letter.unitName}`,
    `发文机关：${letter.issuingBody}`,
    `成文日期：${chineseDate(letter.issuedOn)}`,
  ];
}

function generic(letter: OutgoingLetter): object {
  const { messageId, idempotencyKey, docNumber, title, typeLabel, unitName, role, issuingBody, issuedOn, summary, url } = letter;
  return { event: 'letter.issued', messageId, idempotencyKey, docNumber, title, typeLabel, unitName, role, issuingBody, issuedOn, summary, url };
}

function wecom(letter: OutgoingLetter): object {
  const content = (summary: string) =>
    [
      `**${letter.title}**`,
      ...factLines(letter),
      '',
      ...paragraphs(summary),
      ...(letter.url ? ['', `[${LINK_TEXT}](${mdUrl(letter.url)})`] : []),
    ].join('\n');
  return { msgtype: 'markdown', markdown: { content: fitted(letter.summary, MAX_BYTES.wecom, content, bytes) } };
}

function dingtalk(letter: OutgoingLetter): object {
  // 钉钉 markdown breaks lines only at blank lines, so every line is its own paragraph.
  const text = (summary: string) =>
    [
      `#### ${letter.title}`,
      ...factLines(letter),
      ...paragraphs(summary),
      ...(letter.url ? [`[${LINK_TEXT}](${mdUrl(letter.url)})`] : []),
    ].join('\n\n');
  return { msgtype: 'markdown', markdown: { title: `${letter.typeLabel}：${letter.title}`, text: fitted(letter.summary, MAX_BYTES.dingtalk, text, bytes) } };
}

function feishu(letter: OutgoingLetter): object {
  const text = (t: string) => [{ tag: 'text', text: t }];
  const post = (summary: string) => ({
    msg_type: 'post',
    content: {
      post: {
        zh_cn: {
          title: letter.title,
          content: [
            ...factLines(letter).map(text),
            ...paragraphs(summary).map(text),
            ...(letter.url ? [[{ tag: 'a', text: LINK_TEXT, href: letter.url }]] : []),
          ],
        },
      },
    },
  });
  return fitted(letter.summary, MAX_BYTES.feishu, post, (p) => bytes(JSON.stringify(p)));
}

const BUILDERS: Record<WebhookKind, (letter: OutgoingLetter) => object> = { webhook: generic, wecom, dingtalk, feishu };

/** The JSON body a webhook channel POSTs for this letter. */
export function webhookPayload(kind: WebhookKind, letter: OutgoingLetter): object {
  return BUILDERS[kind](letter);
}

/** `白振办函〔2023〕12号 关于…的提醒函` */
export function mailSubject(letter: OutgoingLetter): string {
  return `${letter.docNumber} ${letter.title}`;
}

/** The plain-text body of the mail that carries the letter's .docx and .pdf. */
export function mailText(letter: OutgoingLetter): string {
  const issued = letter.role === 'to' ? `印发` : `抄送`;
  const files = letter.attachments.map((a) => a.filename);
  const lines = [
    `${letter.unitName}：`,
    '',
    `${letter.issuingBody}于${chineseDate(letter.issuedOn)}向你单位${issued}《${letter.title}》（${letter.docNumber}，${letter.typeLabel}，${ROLE_LABEL[letter.role]}）。`,
    '',
    ...paragraphs(letter.summary),
    '',
  ];
  if (files.length > 0) lines.push(`正式公文见附件（${files.join('、')}），以附件为准。`);
  if (letter.url) {
    lines.push(letter.role === 'to' ? '请收到后在以下链接查看并签收：' : '本件为抄送件，供知悉，请在以下链接查看并签收：', letter.url);
  } else {
    lines.push('请登录系统查看并签收。');
  }
  lines.push('', '本邮件由系统自动发送，请勿直接回复。');
  return lines.join('\n');
}
