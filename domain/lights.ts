/**
 * Warning lights (红黄绿亮灯): green on track; yellow when the deadline is near or progress lags
 * the time-proportional target (序时进度) by more than the policy's first threshold; red when
 * overdue or lagging by more than the second. Pure arithmetic on instants the plan recorded, so
 * workflows may call it: same inputs, same light, on every replay.
 */
import type { Policy } from './policy';

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];
export const LIGHT_LABELS: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };

export interface LightInput {
  /** Only items still being worked on are judged; others are green. */
  active: boolean;
  progressPercent: number;
  startAt: number;
  dueAt: number | null;
  nearAt: number | null;
  /** Reports missed on the cadence and not yet made up. */
  missedReports: number;
}

/** Progress lag in percentage points: elapsed share of the item's time minus progress. */
export function lagPoints(now: number, s: LightInput): number | null {
  if (s.dueAt === null || s.dueAt <= s.startAt) return null;
  const elapsed = Math.min(100, Math.max(0, ((now - s.startAt) / (s.dueAt - s.startAt)) * 100));
  return elapsed - s.progressPercent;
}

export function lightAt(now: number, s: LightInput, t: Policy['lights']): Light {
  if (!s.active) return 'green';
  if (s.dueAt !== null && now >= s.dueAt) return 'red';
  const lag = lagPoints(now, s);
  if (lag !== null && lag > t.behindRed) return 'red';
  if (lag !== null && lag > t.behindYellow) return 'yellow';
  if (s.nearAt !== null && now >= s.nearAt) return 'yellow';
  if (s.missedReports > 0) return 'yellow';
  return 'green';
}

/** The next instant after `now` at which the light may change without anyone acting. */
export function nextLightChange(now: number, s: LightInput, t: Policy['lights']): number | null {
  if (!s.active || s.dueAt === null) return null;
  const span = s.dueAt - s.startAt;
  const candidates = [s.nearAt, s.dueAt];
  // lag crosses threshold T when elapsed% = progress + T.
  for (const T of [t.behindYellow, t.behindRed]) {
    const pct = s.progressPercent + T;
    if (pct < 100 && span > 0) candidates.push(Math.floor(s.startAt + (pct / 100) * span) + 1);
  }
  const future = candidates.filter((c): c is number => c !== null && c > now);
  return future.length ? Math.min(...future) : null;
}
