/**
 * A sample letter as the delivery activity would hand it to a channel, shared by the delivery tests.
 */
import { messageIdFor, type OutgoingLetter } from '../../delivery';

export const DOCX_BYTES = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)]);

export function sampleLetter(over: Partial<OutgoingLetter> = {}): OutgoingLetter {
  const idempotencyKey = over.idempotencyKey ?? 'letter:7f3c/unit:洮北区/email/zhenggai@taobei.gov.cn';
  return {
    messageId: messageIdFor(idempotencyKey),
    idempotencyKey,
    docNumber: '白振办函〔2023〕12号',
    title: '关于加快推进营商环境问题整改的提醒函',
    typeLabel: '提醒函',
    unitName: '洮北区人民政府',
    role: 'to',
    issuingBody: '白城市整改办',
    issuedOn: '2023-07-14',
    summary: '你单位承办的第3项整改任务已临近办结时限。\n请于2023年7月21日前报送整改进展。',
    url: 'https://rectify.example.gov.cn/letters/7f3c?unit=u1',
    attachments: [
      { filename: '白振办函〔2023〕12号.docx', content: DOCX_BYTES, contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    ],
    ...over,
  };
}
