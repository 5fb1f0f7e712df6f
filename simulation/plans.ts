/**
 * What a simulation runs: a plan (the seed-002 hundred-day sprint as the demo ships it, a
 * synthetic list of any size, or an import file before it is imported) and the policies it
 * compares (named presets or a policy file).
 */
import fs from 'node:fs';
import type { PolicyInput } from '../domain/policy';
import { addDays } from '../domain/time';
import { CAMPAIGN, COUNTIES, DEPARTMENTS } from '../demo/seed-002';
import { DEMO_SHEET } from '../scripts/demo-sheet';
import { syntheticCsv, syntheticUnits } from '../scripts/generate';
import type { SimulationPlan } from './engine';

/** Seed 002 (白脱贫发〔2020〕13号): its 20 units and 28 tasks, imported from the sheet the demo ships, on its own dates. */
export function seed002Plan(): SimulationPlan {
  return {
    title: `${CAMPAIGN.title}（试运行）`,
    startDate: CAMPAIGN.startDate,
    endDate: CAMPAIGN.endDate,
    units: [
      ...COUNTIES.map((c) => ({ name: c.name, kind: 'county' as const })),
      ...DEPARTMENTS.map((d) => ({ name: d.name, kind: d.alias === '各包保部门' ? ('other' as const) : ('department' as const), aliases: [d.alias] })),
    ],
    importFile: fs.readFileSync(DEMO_SHEET),
  };
}

/** N synthetic items over 50 units (scripts/generate.ts), a hundred days from `startDate`. */
export function syntheticPlan(items: number, startDate: string): SimulationPlan {
  return {
    title: `合成专项行动（${items}项，试运行）`,
    startDate,
    endDate: addDays(startDate, 99),
    units: syntheticUnits(),
    importFile: Buffer.from(syntheticCsv(items)),
  };
}

/** Policies to compare by name; anything else is read as a policy file (JSON). */
export const POLICY_PRESETS: Record<string, { label: string; policy: PolicyInput }> = {
  default: { label: '默认策略（提醒函当日、催办函3个工作日、督办函7个、约谈15个）', policy: {} },
  strict: {
    label: '从严策略（催办函2个工作日、督办函4个、约谈8个，一期差评即挂牌）',
    policy: {
      ladder: [
        { step: 'reminder_letter', after: '0WD' },
        { step: 'urging_letter', after: '2WD' },
        { step: 'supervision_letter', after: '4WD', listInBulletin: true },
        { step: 'summons', after: '8WD', listInBulletin: true },
      ],
      ratings: { listAfterPoor: 1 },
    },
  },
};

export function policyNamed(nameOrFile: string): { label: string; policy: PolicyInput } {
  const preset = POLICY_PRESETS[nameOrFile];
  if (preset) return preset;
  return { label: nameOrFile, policy: JSON.parse(fs.readFileSync(nameOrFile, 'utf8')) as PolicyInput };
}
