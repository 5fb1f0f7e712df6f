/**
 * The pure parts of delivery: message ids that survive a crash (same key, same id) and what each
 * channel says about a letter — the robots' message shapes, the mail's subject and body.
 */
import { describe, expect, it } from 'vitest';
import { headerValue, mailSubject, mailText, messageIdFor, webhookPayload } from '../../delivery';
import { sampleLetter } from './letter';

const letter = sampleLetter();

describe('messageIdFor', () => {
  it('is the same for the same key and different for different keys', () => {
    const a = messageIdFor('letter:1/unit:a/email/x@y.cn');
    expect(a).toBe(messageIdFor('letter:1/unit:a/email/x@y.cn'));
    expect(a).not.toBe(messageIdFor('letter:1/unit:b/email/x@y.cn'));
    expect(a).not.toBe(messageIdFor('letter:1/unit:a/wecom/x@y.cn'));
  });

  it('is 40 hex digits of sha256 at the domain, without angle brackets', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(messageIdFor('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a3@rectify.local');
    expect(messageIdFor('abc', 'baicheng.gov.cn')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a3@baicheng.gov.cn');
  });
});

describe('headerValue', () => {
  it('leaves an ASCII key alone and makes any other key ASCII that decodes back to it', () => {
    expect(headerValue('letter:1/unit:a/email/x@y.cn')).toBe('letter:1/unit:a/email/x@y.cn');
    for (const key of ['letter:1/unit:洮北区/wecom/https://q.cn/?key=1', '100%/完成 😀', 'a%2Fb']) {
      const v = headerValue(key);
      expect(v).toMatch(/^[\x20-\x7e]*$/);
      expect(decodeURIComponent(v)).toBe(key);
    }
  });
});

describe('webhook payloads', () => {
  it('generic: every fact of the letter, keyed for de-duplication', () => {
    expect(webhookPayload('webhook', letter)).toEqual({
      event: 'letter.issued',
      messageId: letter.messageId,
      idempotencyKey: letter.idempotencyKey,
      docNumber: '白振办函〔2023〕12号',
      title: letter.title,
      typeLabel: '提醒函',
      unitName: '洮北区人民政府',
      role: 'to',
      issuingBody: '白城市整改办',
      issuedOn: '2023-07-14',
      summary: letter.summary,
      url: letter.url,
    });
  });

  it('企业微信: markdown with the bold title, 文号, 主送 unit, 成文日期, summary and the link', () => {
    const p = webhookPayload('wecom', letter) as { msgtype: string; markdown: { content: string } };
    expect(p.msgtype).toBe('markdown');
    const lines = p.markdown.content.split('\n');
    expect(lines[0]).toBe(`**${letter.title}**`);
    expect(lines).toContain('文号：白振办函〔2023〕12号');
    expect(lines).toContain('主送：洮北区人民政府');
    expect(lines).toContain('成文日期：2023年7月14日');
    expect(lines).toContain('请于2023年7月21日前报送整改进展。');
    expect(lines.at(-1)).toBe(`[查看并签收](${letter.url})`);
  });

  it('抄送 units are told it is a copy; without a url there is no link', () => {
    const p = webhookPayload('wecom', sampleLetter({ role: 'cc', url: null })) as { markdown: { content: string } };
    expect(p.markdown.content).toContain('抄送：洮北区人民政府');
    expect(p.markdown.content).not.toContain('主送');
    expect(p.markdown.content).not.toContain('](');
  });

  it('钉钉: markdown with a title and the facts on separate lines', () => {
    const p = webhookPayload('dingtalk', letter) as { msgtype: string; markdown: { title: string; text: string } };
    expect(p.msgtype).toBe('markdown');
    expect(p.markdown.title).toContain(letter.title);
    expect(p.markdown.text).toContain('\n\n文号：白振办函〔2023〕12号\n\n');
    expect(p.markdown.text).toContain('成文日期：2023年7月14日');
    expect(p.markdown.text).toContain(`[查看并签收](${letter.url})`);
  });

  it('飞书: a post with one line per fact and a link element', () => {
    const p = webhookPayload('feishu', letter) as {
      msg_type: string;
      content: { post: { zh_cn: { title: string; content: { tag: string; text: string; href?: string }[][] } } };
    };
    expect(p.msg_type).toBe('post');
    const { title, content } = p.content.post.zh_cn;
    expect(title).toBe(letter.title);
    expect(content).toContainEqual([{ tag: 'text', text: '文号：白振办函〔2023〕12号' }]);
    expect(content).toContainEqual([{ tag: 'text', text: '主送：洮北区人民政府' }]);
    expect(content.at(-1)).toEqual([{ tag: 'a', text: '查看并签收', href: letter.url }]);
  });

  it('a long summary is shortened to fit the robot, the 文号 and link still go out', () => {
    const long = sampleLetter({ summary: '整改情况说明。'.repeat(2000) });
    const wecom = (webhookPayload('wecom', long) as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(wecom)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(wecom)).toBeGreaterThan(3800);
    expect(wecom).toContain('文号：白振办函〔2023〕12号');
    expect(wecom).toContain('……（全文见链接）');
    expect(wecom.endsWith(`[查看并签收](${long.url})`)).toBe(true);

    const manyLines = sampleLetter({ summary: '第一条。\n'.repeat(5000) });
    const ding = (webhookPayload('dingtalk', manyLines) as { markdown: { text: string } }).markdown.text;
    expect(Buffer.byteLength(ding)).toBeLessThanOrEqual(18_000);
    expect(ding).toContain(`[查看并签收](${manyLines.url})`);

    const feishu = webhookPayload('feishu', long);
    expect(Buffer.byteLength(JSON.stringify(feishu))).toBeLessThanOrEqual(18_000);
    // A short summary is never cut.
    expect((webhookPayload('wecom', letter) as { markdown: { content: string } }).markdown.content).not.toContain('……');
  });

  it('parentheses in the url do not break the markdown link', () => {
    const p = webhookPayload('wecom', sampleLetter({ url: 'https://x.cn/l/(1)' })) as { markdown: { content: string } };
    expect(p.markdown.content).toContain('[查看并签收](https://x.cn/l/%281%29)');
  });
});

describe('mail', () => {
  it('subject is the 文号 and the title', () => {
    expect(mailSubject(letter)).toBe('白振办函〔2023〕12号 关于加快推进营商环境问题整改的提醒函');
  });

  it('body addresses the unit, names the letter, points to the attachment as the official text and to the link to sign', () => {
    const text = mailText(letter);
    expect(text.startsWith('洮北区人民政府：\n')).toBe(true);
    expect(text).toContain('白振办函〔2023〕12号');
    expect(text).toContain(`《${letter.title}》`);
    expect(text).toContain('2023年7月14日');
    expect(text).toContain('请于2023年7月21日前报送整改进展。');
    expect(text).toContain('正式公文见附件（白振办函〔2023〕12号.docx），以附件为准。');
    expect(text).toMatch(/签收：\n.*rectify\.example\.gov\.cn\/letters\/7f3c\?unit=u1/);
  });

  it('without attachments or url it does not promise them', () => {
    const text = mailText(sampleLetter({ attachments: [], url: null, role: 'cc' }));
    expect(text).not.toContain('附件');
    expect(text).not.toContain('http');
    expect(text).toContain('抄送');
    expect(text).toContain('请登录系统查看并签收。');
  });
});
