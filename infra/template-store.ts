/**
 * Letter templates in PostgreSQL: the office's wording per campaign and letter type, a new
 * version on every edit (never overwritten: a letter names the version that made it). Version 0
 * is the built-in wording (domain/letters/templates.ts) and is what a campaign uses until the
 * office edits it.
 */
import { DEFAULT_TEMPLATES, type LetterTemplate } from '../domain/letters/templates';
import type { LetterType } from '../domain/letters/types';
import type { Sql } from './db';

export interface TemplateVersion extends LetterTemplate {
  type: LetterType;
  version: number;
  createdBy: string | null;
  createdAt: string | null;
}

const builtin = (type: LetterType): TemplateVersion => ({ type, version: 0, ...DEFAULT_TEMPLATES[type], createdBy: null, createdAt: null });

export function createTemplateStore(sql: Sql) {
  return {
    /** The version new letters of this type use. */
    async latest(campaignId: string | null, type: LetterType): Promise<TemplateVersion> {
      if (!campaignId) return builtin(type);
      const [row] = await sql<TemplateVersion[]>`
        select type, version, title, body, created_by, created_at from letter_templates
        where campaign_id = ${campaignId} and type = ${type} order by version desc limit 1`;
      return row ?? builtin(type);
    },

    /** One version exactly as it was (0: the built-in wording); null if there is no such version. */
    async get(campaignId: string | null, type: LetterType, version: number): Promise<TemplateVersion | null> {
      if (version === 0) return builtin(type);
      if (!campaignId) return null;
      const [row] = await sql<TemplateVersion[]>`
        select type, version, title, body, created_by, created_at from letter_templates
        where campaign_id = ${campaignId} and type = ${type} and version = ${version}`;
      return row ?? null;
    },

    /**
     * The versions of one type, newest first, the built-in one last: a page of at most `limit`
     * older than `after`; `next` is the `after` of the following page (null on the last).
     */
    async versions(campaignId: string, type: LetterType, page: { limit: number; after?: number } = { limit: 1_000 }): Promise<{ versions: TemplateVersion[]; next: number | null }> {
      if (page.after === 0) return { versions: [], next: null };
      const rows = await sql<TemplateVersion[]>`
        select type, version, title, body, created_by, created_at from letter_templates
        where campaign_id = ${campaignId} and type = ${type} ${page.after === undefined ? sql`` : sql`and version < ${page.after}`}
        order by version desc limit ${page.limit}`;
      if (rows.length < page.limit) return { versions: [...rows, builtin(type)], next: null };
      return { versions: [...rows], next: rows[rows.length - 1]!.version };
    },

    /** Saves a new version (the next number, under a lock per campaign and type). */
    async save(campaignId: string, type: LetterType, t: LetterTemplate, by: string): Promise<TemplateVersion> {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtextextended(${`letter_templates:${campaignId}:${type}`}, 0))`;
        const [row] = await tx<TemplateVersion[]>`
          insert into letter_templates (campaign_id, type, version, title, body, created_by)
          values (${campaignId}, ${type},
                  (select coalesce(max(version), 0) + 1 from letter_templates where campaign_id = ${campaignId} and type = ${type}),
                  ${t.title}, ${t.body}, ${by})
          returning type, version, title, body, created_by, created_at`;
        return row!;
      }) as Promise<TemplateVersion>;
    },
  };
}

export type TemplateStore = ReturnType<typeof createTemplateStore>;
