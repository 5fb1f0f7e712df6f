/** 摘牌 with a review (domain/delisting.ts): what may happen next, at each step. */
import { describe, expect, it } from 'vitest';
import { applyRefusal, delistRefusal, nextRequest, reviewRefusal, type DelistingRequest } from '../../domain/delisting';

const req = (status: DelistingRequest['status'], listedSince = 2, requestNo = 1): DelistingRequest => ({ requestNo, listedSince, status, application: '已整改', appliedAt: 0 });

describe('摘牌: application, review (初审), decision', () => {
  it('a unit not listed can do none of it', () => {
    expect(applyRefusal(null, undefined)).toBe('NOT_LISTED');
    expect(reviewRefusal(null, undefined)).toBe('NOT_LISTED');
    expect(delistRefusal(null, undefined, false)).toBe('NOT_LISTED');
  });

  it('applies once at a time; again after a failed review; an old listing’s request does not count', () => {
    expect(applyRefusal(2, undefined)).toBeNull();
    expect(applyRefusal(2, req('applied'))).toBe('DELISTING_PENDING');
    expect(applyRefusal(2, req('review_passed'))).toBe('DELISTING_PENDING');
    expect(applyRefusal(2, req('review_failed'))).toBeNull();
    expect(applyRefusal(4, req('applied', 2))).toBeNull();
    expect(nextRequest(2, req('review_failed'), '补齐材料', 5)).toEqual({ requestNo: 2, listedSince: 2, status: 'applied', application: '补齐材料', appliedAt: 5 });
    expect(nextRequest(4, req('review_failed', 2, 3), '新的申请', 6).requestNo).toBe(1);
  });

  it('reviews only an application waiting for it', () => {
    expect(reviewRefusal(2, undefined)).toBe('NO_DELISTING_APPLICATION');
    expect(reviewRefusal(2, req('applied'))).toBeNull();
    for (const s of ['review_passed', 'review_failed'] as const) expect(reviewRefusal(2, req(s))).toBe('NO_DELISTING_APPLICATION');
    expect(reviewRefusal(4, req('applied', 2))).toBe('NO_DELISTING_APPLICATION');
  });

  it('delists after a passed review — or at once when the policy asks for no review', () => {
    for (const s of [undefined, req('applied'), req('review_failed'), req('review_passed', 1)]) expect(delistRefusal(2, s, true)).toBe('DELISTING_NOT_REVIEWED');
    expect(delistRefusal(2, req('review_passed'), true)).toBeNull();
    expect(delistRefusal(2, undefined, false)).toBeNull();
  });
});
