/**
 * The shape shared by every outbound channel for official letters (公文): what a delivery carries,
 * what a channel returns, and the one error type the delivery activity inspects to decide between
 * retrying and giving up. The activity owns the ledger and exactly-once; channels only send.
 */

export const CHANNEL_KINDS = ['email', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingLetter {
  /** Stable id for this delivery, from messageIdFor(); the same on every resend. Without angle brackets. */
  messageId: string;
  idempotencyKey: string;
  /** 白振办函〔2023〕12号 */
  docNumber: string;
  /** 关于…的提醒函 */
  title: string;
  /** 提醒函 */
  typeLabel: string;
  /** The recipient unit. */
  unitName: string;
  /** 主送 (must sign for it) or 抄送 (a copy). */
  role: 'to' | 'cc';
  /** 白城市整改办 */
  issuingBody: string;
  /** 成文日期, YYYY-MM-DD. */
  issuedOn: string;
  /** Plain-text first paragraphs, for robots and the mail body. */
  summary: string;
  /** Link to the letter in the API/UI, where it is signed for. */
  url: string | null;
  /** .docx and .pdf for e-mail; robots get only the link. */
  attachments: Attachment[];
}

export interface SendResult {
  /** What the receiving side called the message (SMTP queue id, request id, …), for the ledger. */
  providerMessageId: string;
}

export interface Channel {
  send(address: string, letter: OutgoingLetter): Promise<SendResult>;
}

export type Channels = Record<ChannelKind, Channel>;

/**
 * A failed send. permanent: sending the same thing again cannot succeed (bad address, rejected
 * recipient, invalid robot token) — stop and mark the delivery failed. Otherwise retry later.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The channels that POST to an HTTP endpoint: a generic JSON webhook and the group robots. */
export type WebhookKind = Exclude<ChannelKind, 'email'>;
