/** Inbox shapes; notification ids are bigint identities, carried as decimal strings. */
import { z } from 'zod';
import { LETTER_TYPES } from '../../../domain/letters/types';

const notificationId = z.string().regex(/^\d{1,18}$/, 'a notification id is a number');

export const notificationParams = z.object({ id: notificationId });

export const inboxQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only what has not been read'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: notificationId.optional().describe('the `next` of the previous page'),
});

export const notificationSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  itemId: z.string().nullable(),
  campaignId: z.string().nullable(),
  letterId: z.string().nullable(),
  letter: z
    .object({
      docNumber: z.string(),
      type: z.enum(LETTER_TYPES),
      title: z.string(),
      links: z.object({ docx: z.string(), pdf: z.string(), html: z.string() }),
    })
    .nullable()
    .describe('the letter this notice delivers, if any'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const inboxSchema = z.object({
  notifications: z.array(notificationSchema).describe('newest first'),
  unread: z.number().describe('unread notices in the whole inbox, not just this page'),
  next: z.string().nullable(),
});
