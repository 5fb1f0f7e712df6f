/**
 * All outbound channels for official letters in one place, as the delivery activity uses them:
 * one per kind in CHANNEL_KINDS. Without an SMTP server configured, e-mail deliveries fail for
 * good with a message saying what to set, instead of retrying forever.
 */
import { createEmailChannel } from './email';
import { DeliveryError, type Channel, type Channels } from './types';
import { createWebhookChannel } from './webhook';

export * from './types';
export { messageIdFor } from './message-id';
export { headerValue } from './header-value';
export { mailSubject, mailText, webhookPayload } from './payloads';
export { createEmailChannel } from './email';
export { createWebhookChannel } from './webhook';

export interface ChannelsOptions {
  /** RECTIFY_SMTP_URL, e.g. smtp://user:pass@host:587; null when e-mail is not set up. */
  smtpUrl: string | null;
  mailFrom: string;
  fetch?: typeof fetch;
}

const noSmtp: Channel = {
  send: async () => {
    throw new DeliveryError('no SMTP server configured (RECTIFY_SMTP_URL)', true);
  },
};

export function createChannels(opts: ChannelsOptions): Channels & { close(): void } {
  const email = opts.smtpUrl ? createEmailChannel({ url: opts.smtpUrl, from: opts.mailFrom }) : null;
  const http = { fetch: opts.fetch };
  return {
    email: email ?? noSmtp,
    webhook: createWebhookChannel('webhook', http),
    wecom: createWebhookChannel('wecom', http),
    dingtalk: createWebhookChannel('dingtalk', http),
    feishu: createWebhookChannel('feishu', http),
    close: () => email?.close(),
  };
}
