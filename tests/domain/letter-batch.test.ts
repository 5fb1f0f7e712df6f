/**
 * The unit letter's pure rules (domain/letters/batch.ts, domain/letters/policy.ts): which batch a
 * step joins, which collected steps still belong in the letter when it is written, and what
 * collecting windows a policy may set.
 */
import { describe, expect, it } from 'vitest';
import { DROP_REASON_LABELS, dropReason, unitLetterWorkflowId, type BatchEntry, type ItemNow } from '../../domain/letters/batch';
import { collectForMs, lettersPolicySchema } from '../../domain/letters/policy';

const entry: BatchEntry = { itemId: 'i1', stepKey: 'i1:ladder:urging_letter:v2', deadlineVersion: 2, occurredAt: '2026-11-02T08:00:00.000Z' };
const open: ItemNow = { status: 'in_progress', deadlineVersion: 2, paused: false, leadUnits: ['u1', 'u2'] };

describe('a unit letter’s batch', () => {
  it('is named by campaign, unit, rung and day: one letter a day per unit and rung', () => {
    expect(unitLetterWorkflowId({ campaignId: 'c', unitId: 'u1', rung: 'urging_letter', day: '2026-11-02' })).toBe('unit-letter-c-u1-urging_letter-2026-11-02');
    expect(unitLetterWorkflowId({ campaignId: 'c', unitId: 'u1', rung: 'urging_letter', day: '2026-11-03' })).not.toBe(
      unitLetterWorkflowId({ campaignId: 'c', unitId: 'u1', rung: 'urging_letter', day: '2026-11-02' }),
    );
  });

  it('keeps a step whose item is still open, unpaused, on the same deadline, with the unit still lead', () => {
    for (const status of ['assigned', 'acknowledged', 'in_progress'] as const) expect(dropReason(entry, 'u1', { ...open, status })).toBeNull();
    expect(dropReason(entry, 'u2', open)).toBeNull();
  });

  it('drops a step whose item changed while the letter collected, saying why', () => {
    expect(dropReason(entry, 'u1', undefined)).toBe('gone');
    for (const status of ['submitted', 'closed', 'cancelled'] as const) expect(dropReason(entry, 'u1', { ...open, status })).toBe('no_longer_open');
    expect(dropReason(entry, 'u1', { ...open, paused: true })).toBe('paused');
    expect(dropReason(entry, 'u1', { ...open, deadlineVersion: 3 })).toBe('deadline_changed');
    expect(dropReason(entry, 'u3', open)).toBe('unit_no_longer_lead');
    // Every reason has its Chinese label for the office.
    for (const label of Object.values(DROP_REASON_LABELS)) expect(label).toMatch(/[\u4e00-\u9fff]/u);
  });
});

describe('the collecting window', () => {
  const policy = (collectFor?: string) => lettersPolicySchema.parse(collectFor === undefined ? {} : { collectFor });
  it('defaults to ten minutes; PT0S writes at once', () => {
    expect(collectForMs(policy())).toBe(600_000);
    expect(collectForMs(policy('PT0S'))).toBe(0);
    expect(collectForMs(policy('PT1H'))).toBe(3_600_000);
  });
  it('refuses working days, calendar days beyond one, and nonsense, in Chinese', () => {
    for (const bad of ['2WD', 'P2D', 'PT25H', 'soon', '-PT1H']) {
      const r = lettersPolicySchema.safeParse({ collectFor: bad });
      expect(r.success, bad).toBe(false);
    }
    expect(JSON.stringify(lettersPolicySchema.safeParse({ collectFor: 'P2D' }).error)).toContain('收集时长');
  });
});
