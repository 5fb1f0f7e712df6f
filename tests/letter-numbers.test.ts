/**
 * Document numbers (发文字号) against the real PostgreSQL: gap-free under concurrency, one letter
 * and one number per idempotency key however often and however concurrently it is issued, and
 * a failed issue takes its number back.
 */
import crypto from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLetterIssuing, type IssueRequest } from '../activities/letter-issuing';
import { createSql } from '../infra/db';
import { uniq } from './harness';

const sql = createSql(inject('databaseUrl'), { max: 10 });
afterAll(() => sql.end());
// Only numbering is exercised here: no letter workflow is started.
// `issueLetter` is the issuing module's numbering transaction (not an activity of its own).
const { issueLetter } = createLetterIssuing({ sql, startLetterWorkflow: async () => {} });

const request = (body: string, key: string, over: Partial<IssueRequest> = {}): IssueRequest => ({
  idempotencyKey: key,
  campaignId: null,
  type: 'urging_letter',
  issuingBody: body,
  unitId: null,
  itemIds: [],
  templateVersion: 0,
  facts: { items: [] },
  issuedOn: '2026-11-23',
  ...over,
});

describe('document numbers', () => {
  it('numbers 40 letters issued at once 1…40: no duplicate, no gap', async () => {
    const body = `测振办${uniq()}`;
    const issued = await Promise.all(Array.from({ length: 40 }, (_, i) => issueLetter(request(body, `${body}:step-${i}`))));
    expect(issued.map((l) => l.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(issued.map((l) => l.docNumber)).size).toBe(40);
    expect(issued.find((l) => l.number === 12)!.docNumber).toBe(`${body}函〔2026〕12号`);
  });

  it('issues one letter and one number per key, however often and concurrently it is asked', async () => {
    const body = `测振办${uniq()}`;
    const again = await Promise.all(Array.from({ length: 8 }, () => issueLetter(request(body, `${body}:ladder:urging_letter:v1`))));
    expect(new Set(again.map((l) => l.docNumber))).toEqual(new Set([`${body}函〔2026〕1号`]));
    expect(again.filter((l) => l.created)).toHaveLength(1);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from letters where issuing_body = ${body}`;
    expect(row!.n).toBe(1);
  });

  it('shares the 函 series between letter types, keeps 通报 apart, restarts each year, and takes back a failed number', async () => {
    const body = `测振办${uniq()}`;
    expect((await issueLetter(request(body, `${body}:a`, { type: 'reminder_letter' }))).docNumber).toBe(`${body}函〔2026〕1号`);
    expect((await issueLetter(request(body, `${body}:b`, { type: 'supervision_letter' }))).docNumber).toBe(`${body}函〔2026〕2号`);
    expect((await issueLetter(request(body, `${body}:c`, { type: 'bulletin' }))).docNumber).toBe(`${body}通〔2026〕1号`);
    expect((await issueLetter(request(body, `${body}:d`, { issuedOn: '2027-01-04' }))).docNumber).toBe(`${body}函〔2027〕1号`);
    // A letter whose row cannot be written (an unknown unit) rolls back with its number.
    await expect(issueLetter(request(body, `${body}:e`, { unitId: '00000000-0000-0000-0000-000000000001' }))).rejects.toThrow(/foreign key/);
    expect((await issueLetter(request(body, `${body}:f`))).docNumber).toBe(`${body}函〔2026〕3号`);
  });
});

describe('a letter activity retried after its letter was numbered', () => {
  it('returns that letter and starts its delivery, whatever the items did since (unit and assignment letters)', async () => {
    const started: string[] = [];
    const { issueLetter: issue, activities } = createLetterIssuing({ sql, startLetterWorkflow: async (id) => void started.push(id) });
    const body = `测振办${uniq()}`;
    const campaignId = crypto.randomUUID();
    const unitId = crypto.randomUUID();
    // The first attempt numbered the letter, then died before starting its workflow.
    const batchKey = `unit-letter-${campaignId}-${unitId}-urging_letter-2026-11-23:run:1`;
    const first = await issue(request(body, batchKey));
    // The retry: its item (unknown now, as if gone) would drop out; the letter stands.
    const entry = { itemId: crypto.randomUUID(), stepKey: 'x:ladder:urging_letter:v1', deadlineVersion: 1, occurredAt: '2026-11-23T01:00:00.000Z' };
    const r = await activities.issueUnitLetter({ campaignId, unitId, rung: 'urging_letter', day: '2026-11-23', closeAt: 0, batchKey, entries: [entry] });
    expect(r.letterId).toBe(first.id);
    const batchId = crypto.randomUUID();
    const assigned = await issue(request(body, `assign:${batchId}:${unitId}`, { type: 'assignment_letter' }));
    const a = await activities.issueAssignmentLetter({ campaignId, batchId, unitId, sealed: true, at: '2026-11-23T01:00:00.000Z' });
    expect(a.letterId).toBe(assigned.id);
    expect(started).toEqual([first.id, assigned.id]);
  });
});
