/**
 * Properties of offsets ("3WD", "P3D", "PT30S") and deadline specs over arbitrary strings: parsing
 * never throws, and whatever parses lies within its bounds (domain/bounds.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, MAX_OFFSET_WORKING_DAYS } from '../../domain/bounds';
import { deadlineSpecProblem, deadlineSpecSchema } from '../../domain/deadline-spec';
import { checkOffset, offsetSchema, parseOffset } from '../../domain/offset';
import { anyText, SEED, windowDate } from './property-kit';

const digits = fc.oneof(fc.nat({ max: 2000 }).map(String), fc.stringMatching(/^\d{1,30}$/), fc.constantFrom('3000000', '99999999', '1' + '0'.repeat(400)));
const unit = fc.constantFrom('W', 'D', 'H', 'M', 'S');
/** Strings shaped like offsets, with any numbers: what a hostile client would try. */
const offsetLike = fc.oneof(
  digits.map((n) => `${n}WD`),
  fc.tuple(digits, fc.constantFrom('W', 'D')).map(([n, u]) => `P${n}${u}`),
  fc.tuple(digits, unit).map(([n, u]) => `PT${n}${u}`),
  fc.tuple(digits, digits, digits, digits, digits).map(([w, d, h, m, s]) => `P${w}W${d}DT${h}H${m}M${s}.5S`),
);

function checkBounded(text: string): void {
  const o = parseOffset(text);
  if (!o) return;
  if (o.kind === 'working_days') {
    expect(Number.isSafeInteger(o.days) && o.days >= 0 && o.days <= MAX_OFFSET_WORKING_DAYS).toBe(true);
  } else {
    expect(Number.isFinite(o.ms) && o.ms >= 0 && o.ms <= MAX_DURATION_MS).toBe(true);
    expect(() => new Date(Date.now() + o.ms).toISOString()).not.toThrow();
  }
}

describe('offsets (property)', () => {
  it('parsing any string never throws, and what parses is bounded', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, offsetLike), (text) => {
        checkBounded(text);
        const r = checkOffset(text);
        expect('offset' in r || typeof r.error === 'string').toBe(true);
        expect(() => offsetSchema.safeParse(text)).not.toThrow();
        expect(offsetSchema.safeParse(text).success).toBe(parseOffset(text.trim()) !== undefined);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('working days round-trip up to the bound, and beyond it are refused with a reason', () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), (n) => {
        const r = checkOffset(`${n}WD`);
        if (n <= MAX_OFFSET_WORKING_DAYS) expect(r).toEqual({ offset: { kind: 'working_days', days: n } });
        else expect('error' in r && r.error).toMatch(/at most 1000 working days/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(parseOffset('3000000WD')).toBeUndefined();
    expect(parseOffset('P99999999W')).toBeUndefined();
    expect(parseOffset('P156W')).toEqual({ kind: 'duration', ms: 156 * 7 * 86_400_000 });
  });
});

describe('deadline specs (property)', () => {
  it('never throw; a problem is a message, a valid spec is in its domain', () => {
    const dateLike = fc.oneof(
      windowDate,
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(
        ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
    );
    const instantLike = fc
      .tuple(dateLike, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 70 }), fc.constantFrom('Z', '+08:00', '-23:59', '+99:00', ''))
      .map(([d, h, m, z]) => `${d}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00${z}`);
    fc.assert(
      fc.property(fc.oneof(anyText, offsetLike, dateLike, instantLike), (spec) => {
        const problem = deadlineSpecProblem(spec);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
        expect(() => deadlineSpecSchema.safeParse(spec)).not.toThrow();
        if (problem === undefined && /^\d{4}-\d{2}-\d{2}$/.test(spec)) expect(spec >= '1949-10-01' && spec <= '2100-12-31').toBe(true);
      }),
      { seed: SEED, numRuns: 5000 },
    );
    expect(deadlineSpecProblem('9999-12-31')).toMatch(/日期超出支持范围/);
    expect(deadlineSpecProblem('2026-02-30T00:00:00Z')).toBeDefined();
    expect(deadlineSpecProblem('2026-02-30')).toBeDefined();
    expect(deadlineSpecProblem('2026-03-02T00:00:00Z')).toBeUndefined();
  });
});
