/**
 * Deadline phrases as officials write them, over arbitrary strings (NUL, lone surrogates, huge
 * numbers): resolving never throws, and whatever resolves is a deadline within its domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineSpecProblem } from '../../domain/deadline-spec';
import { resolveDeadlinePhrase } from '../../domain/deadline-phrase';
import { anyText, SEED, windowDate } from './property-kit';

const num = fc.oneof(fc.nat({ max: 40 }).map(String), fc.stringMatching(/^\d{1,25}$/), fc.constantFrom('3000000', '0000', '9999', '1' + '0'.repeat(400)));
const phraseLike = fc.oneof(
  num.map((n) => `${n}个工作日内`),
  num.map((n) => `${n}工作日`),
  fc.tuple(num, num, num).map(([y, m, d]) => `${y}年${m}月${d}日前`),
  fc.tuple(num, fc.constantFrom('上旬', '中旬', '下旬', '底', '末', '份', '')).map(([m, x]) => `${m}月${x}前`),
  fc.tuple(fc.stringMatching(/^\d{4}$/), num).map(([y, m]) => `${y}年${m}月底前`),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 5 }), num).map(([s, m]) => `${m}月份${s}`),
  fc.constantFrom('立行立改', '长期坚持', '（说明）10月底前', '\u0000', '\uD83D', '9999-12-31', '2026-02-30'),
);

describe('deadline phrases (property)', () => {
  it('never throw, and resolve only to deadlines within their domain', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, phraseLike), windowDate, (raw, startDate) => {
        const r = resolveDeadlinePhrase(raw, { startDate });
        if ('error' in r) {
          expect(typeof r.error).toBe('string');
          return;
        }
        if (r.deadline === null) expect(r.kind).toBe('long_term');
        else expect(deadlineSpecProblem(r.deadline)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('refuse the hostile ones with a reason', () => {
    const c = { startDate: '2026-09-18' };
    expect(resolveDeadlinePhrase('3000000个工作日内', c)).toHaveProperty('error');
    expect(resolveDeadlinePhrase('9999-12-31', c)).toHaveProperty('error');
    expect(resolveDeadlinePhrase('9999年10月底前', c)).toHaveProperty('error');
    expect(resolveDeadlinePhrase('2026年2月30日前', c)).toHaveProperty('error');
    expect(resolveDeadlinePhrase('10月底前', c)).toEqual({ kind: 'time_limited', deadline: '2026-10-31', shown: '2026-10-31' });
  });
});
