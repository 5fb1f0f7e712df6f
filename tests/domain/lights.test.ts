import { describe, expect, it } from 'vitest';
import { lightAt, nextLightChange, type LightInput } from '../../domain/lights';
import { DEFAULT_POLICY } from '../../domain/policy';

const t = DEFAULT_POLICY.lights; // yellow beyond 10 points behind, red beyond 30
const item = (over: Partial<LightInput> = {}): LightInput => ({ active: true, progressPercent: 0, startAt: 0, dueAt: 1000, nearAt: 900, missedReports: 0, ...over });

describe('warning lights (序时进度)', () => {
  it('is green on track, yellow 10+ points behind, red 30+ behind, red when overdue', () => {
    expect(lightAt(500, item({ progressPercent: 45 }), t)).toBe('green');
    expect(lightAt(500, item({ progressPercent: 35 }), t)).toBe('yellow');
    expect(lightAt(500, item({ progressPercent: 15 }), t)).toBe('red');
    expect(lightAt(1000, item({ progressPercent: 99 }), t)).toBe('red');
  });

  it('is yellow near the deadline or after a missed report, and green once closed', () => {
    expect(lightAt(950, item({ progressPercent: 96 }), t)).toBe('yellow');
    expect(lightAt(10, item({ missedReports: 1 }), t)).toBe('yellow');
    expect(lightAt(2000, item({ active: false }), t)).toBe('green');
  });

  it('knows when it will change next without anyone acting', () => {
    // progress 40: yellow once elapsed passes 50%, red past 70%.
    expect(nextLightChange(0, item({ progressPercent: 40 }), t)).toBe(501);
    expect(nextLightChange(600, item({ progressPercent: 40 }), t)).toBe(701);
    expect(nextLightChange(950, item({ progressPercent: 40 }), t)).toBe(1000);
    expect(nextLightChange(0, item({ dueAt: null, nearAt: null }), t)).toBeNull();
  });
});
