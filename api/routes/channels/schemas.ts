/** Channel lists as the office sends them: per-row address checks and duplicates, reported with the row's path. */
import { z } from 'zod';
import { uuid } from '../common-schemas';
import { CHANNEL_KINDS } from '../../../delivery/types';

export const unitParams = z.object({ id: uuid });

const email = z.email();
const httpUrl = z.url({ protocol: /^https?$/ });

/** An e-mail channel needs a mailbox; the others POST to an http(s) URL (webhook, robot). */
export const channelInput = z
  .object({
    channel: z.enum(CHANNEL_KINDS),
    address: z.string().trim().min(1, 'an address is required').max(2000),
    label: z.string().trim().max(100).optional().describe('who reads it, e.g. 办公室收文邮箱'),
    enabled: z.boolean().default(true),
  })
  .superRefine((c, ctx) => {
    if (c.channel === 'email') {
      if (!email.safeParse(c.address).success) ctx.addIssue({ code: 'custom', path: ['address'], message: `"${c.address}" is not an e-mail address` });
    } else if (!httpUrl.safeParse(c.address).success) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: `a ${c.channel} channel needs an http(s) URL, got "${c.address}"` });
    }
  });

/** The same channel and address twice is an error on the later row (mailboxes compared case-insensitively). */
export const replaceChannelsBody = z.object({
  channels: z
    .array(channelInput)
    .max(20, 'at most 20 channels per unit')
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((c, i) => {
        const key = `${c.channel} ${c.channel === 'email' ? c.address.toLowerCase() : c.address}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else ctx.addIssue({ code: 'custom', path: [i, 'address'], message: `the same ${c.channel} address as channels.${first}` });
      });
    }),
});

export const channelSchema = z.object({
  id: z.string(),
  channel: z.enum(CHANNEL_KINDS),
  address: z.string(),
  label: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type ChannelDto = z.infer<typeof channelSchema>;
export type ChannelInput = z.output<typeof channelInput>;

/** What a principal who may not see a unit's addresses sees of its channels: that they exist. */
export const channelSummarySchema = z.object({ id: z.string(), channel: z.enum(CHANNEL_KINDS), enabled: z.boolean() });
export type ChannelSummaryDto = z.infer<typeof channelSummarySchema>;
