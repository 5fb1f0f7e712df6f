/**
 * How units behave in a simulation (试运行): a model with a handful of parameters an office can
 * reason about — how soon a unit signs for an item, how often it reports and how often it lets a
 * report slip, how often it finishes by the deadline and how late otherwise, how often the office
 * sends a close-out request back. Some units are laggards (the ones every 督办 office knows): they
 * sign later, miss more reports and finish later.
 *
 * Pure and seeded: the same model, seed and items give the same script of actions, so two
 * policies are compared on the very same behaviour. Each item's script is drawn up front
 * (`scriptItem`); the office's answer to a close-out request is drawn when it is made.
 */
import { z } from 'zod';

export const behaviourSchema = z.object({
  /** A diligent unit signs within this many days of assignment (uniformly 0..n). */
  signWithinDays: z.number().min(0).max(60).default(2),
  /** A unit reports every this many days while it works on an item. */
  reportEveryDays: z.number().int().min(1).max(60).default(7),
  /** The chance a diligent unit lets a report slip. */
  missReportRate: z.number().min(0).max(1).default(0.1),
  /** The chance a diligent unit finishes by the deadline. */
  onTimeRate: z.number().min(0).max(1).default(0.85),
  /** When late, by up to this many days (uniformly 1..n). */
  lateDays: z.number().int().min(1).max(120).default(10),
  /** The chance the office sends a close-out request back (退回); the unit submits again after 3 days. */
  rejectRate: z.number().min(0).max(1).default(0.15),
  /** The share of units that lag: sign three times later, miss half their reports, finish late twice as often. */
  laggardShare: z.number().min(0).max(1).default(0.2),
  /** The chance a unit signs for a letter addressed to it (签收), within two days. */
  receiptRate: z.number().min(0).max(1).default(0.9),
});
export type Behaviour = z.infer<typeof behaviourSchema>;

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a name: each unit and item draws from its own stream, whatever the order of the others. */
export function seedOf(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const c of parts.join('\u0000')) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export interface UnitTraits {
  laggard: boolean;
}

export function unitTraits(b: Behaviour, seed: number, unit: string): UnitTraits {
  return { laggard: rng(seedOf(seed, 'unit', unit))() < b.laggardShare };
}

/** One unit's part of one item, as days from the simulation's first day. */
export interface ItemScript {
  /** The day each unit signs (null: not within the run). */
  sign: Record<string, number | null>;
  /** Each unit's reports: which unit, day and percent. */
  reports: { unit: string; day: number; percent: number }[];
  /** The day the lead unit asks for close-out (null: not within the run, or a long-term item). */
  submit: number | null;
}

/**
 * Draws one item's script: `assignedDay` and `deadlineDay` are days from the start (deadlineDay
 * null for a long-term item), `days` the run's length; `units` the lead first; `reportDueDays`
 * the days the campaign's reports fall due.
 */
export function scriptItem(
  b: Behaviour,
  seed: number,
  item: { number: string; assignedDay: number; deadlineDay: number | null; lead: string; units: string[]; /** Days the campaign's reports fall due. */ reportDueDays?: number[] },
  traits: (unit: string) => UnitTraits,
  days: number,
): ItemScript {
  const r = rng(seedOf(seed, 'item', item.number));
  const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const sign: ItemScript['sign'] = {};
  for (const u of item.units) {
    const slow = traits(u).laggard ? 3 : 1;
    const day = item.assignedDay + between(0, Math.ceil(b.signWithinDays * slow));
    sign[u] = day < days ? day : null;
  }
  const lead = traits(item.lead);
  const signed = sign[item.lead];
  let submit: number | null = null;
  if (item.deadlineDay !== null && signed !== null && signed !== undefined) {
    const onTime = r() < (lead.laggard ? b.onTimeRate / 2 : b.onTimeRate);
    const day = onTime ? between(Math.min(signed + 1, item.deadlineDay), item.deadlineDay) : item.deadlineDay + between(1, b.lateDays);
    submit = day < days ? Math.max(day, signed) : null;
  }
  // Every unit reports its own part (配合单位 too: dispatch sheets count theirs), from its signature
  // until the close-out request: on the campaign's report cadence when it has one (the day before
  // each due day), else every reportEveryDays; a report may slip (half of a laggard's do).
  const reports: ItemScript['reports'] = [];
  const end = submit ?? days;
  const span = (from: number) => Math.max(1, (item.deadlineDay ?? days) - from);
  for (const u of item.units) {
    const from = sign[u];
    if (from === null || from === undefined) continue;
    const miss = traits(u).laggard ? Math.max(0.5, b.missReportRate) : b.missReportRate;
    const dues = item.reportDueDays?.length ? item.reportDueDays.filter((d) => d >= from) : null;
    const when = dues
      ? [...new Set(dues.map((d) => Math.max(from, d - 1)))]
      : Array.from({ length: Math.max(0, Math.ceil((end - from) / b.reportEveryDays)) }, (_, k) => from + (k + 1) * b.reportEveryDays);
    for (const day of when) {
      if (day >= end) break;
      if (r() < miss) continue;
      reports.push({ unit: u, day, percent: Math.min(95, Math.max(5, Math.round(((day - from) / span(from)) * 100))) });
    }
  }
  return { sign, reports, submit };
}

/** The office's answer to a close-out request made on `day`: send it back or not. */
export function officeRejects(b: Behaviour, seed: number, itemNumber: string, attempt: number): boolean {
  return rng(seedOf(seed, 'review', itemNumber, attempt))() < b.rejectRate;
}

/** Whether and when a unit signs for a letter: the day after it is issued or the one after, or never. */
export function letterReceiptDay(b: Behaviour, seed: number, letterKey: string, issuedDay: number, laggard: boolean): number | null {
  const r = rng(seedOf(seed, 'letter', letterKey));
  if (r() >= (laggard ? b.receiptRate / 2 : b.receiptRate)) return null;
  return issuedDay + 1 + Math.floor(r() * 2);
}

/** What a campaign's audit trail says of its units, summed (activities/simulation.ts reads it). */
export interface ObservedBehaviour {
  /** Days from assignment to each unit's signature. */
  signDays: number[];
  reports: number;
  missedReports: number;
  closedOnTime: number;
  closedLate: number;
  /** Days late of each item closed late. */
  lateDays: number[];
  reviews: number;
  rejections: number;
}

/**
 * A model fitted to a campaign's own history: where it has seen enough (five of a kind), its
 * rates and spans; elsewhere the defaults. Rounded, so the fitted model reads as a person would write it.
 */
export function fitBehaviour(o: ObservedBehaviour, base: Behaviour = behaviourSchema.parse({})): Behaviour {
  const enough = (n: number) => n >= 5;
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  const closed = o.closedOnTime + o.closedLate;
  return behaviourSchema.parse({
    ...base,
    ...(enough(o.signDays.length) ? { signWithinDays: Math.min(60, Math.max(0, Math.round(quantile(o.signDays, 0.8)))) } : {}),
    ...(enough(o.reports + o.missedReports) ? { missReportRate: round2(o.missedReports / (o.reports + o.missedReports)) } : {}),
    ...(enough(closed) ? { onTimeRate: round2(o.closedOnTime / closed) } : {}),
    ...(enough(o.lateDays.length) ? { lateDays: Math.min(120, Math.max(1, Math.round(quantile(o.lateDays, 0.9)))) } : {}),
    ...(enough(o.reviews) ? { rejectRate: round2(o.rejections / o.reviews) } : {}),
  });
}
