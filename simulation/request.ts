/**
 * A simulation as the office asks for it (POST /api/v1/simulations, the console's 试运行 page):
 * what to run — seed 002's sprint, an existing campaign from today on, or a synthetic list —
 * under one policy or two side by side, with a behaviour model given or fitted from the
 * campaign's own history. Checked at the edge; stored with the simulation as asked.
 */
import { z } from 'zod';
import { policySchema } from '../domain/policy';
import { isSupportedDate } from '../domain/time';
import { behaviourSchema } from './model';
import { POLICY_PRESETS } from './plans';

const day = z.string().refine(isSupportedDate, '应为有效日期 YYYY-MM-DD');

export const simulationPolicySchema = z
  .object({
    preset: z.enum(Object.keys(POLICY_PRESETS) as [string, ...string[]]).optional().describe('a named policy: default, strict'),
    label: z.string().trim().min(1).max(100).optional(),
    policy: policySchema.optional().describe("a campaign policy (domain/policy.ts); absent: the preset's"),
  })
  .refine((p) => p.preset !== undefined || p.policy !== undefined, { message: '给出预设策略 preset 或策略 policy' });

export const simulationRequestSchema = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('seed-002').describe('the demo plan: 白脱贫发〔2020〕13号, on its own dates') }),
    z.object({ kind: z.literal('campaign'), campaignId: z.uuid().overwrite((s) => s.toLowerCase()).describe("an existing campaign's open items, from today on") }),
    z.object({ kind: z.literal('synthetic'), items: z.number().int().min(1).max(5000), startDate: day.optional() }),
  ]),
  policies: z.array(simulationPolicySchema).min(1).max(2).describe('one policy, or two compared on the same behaviour'),
  behaviour: behaviourSchema.partial().default({}),
  /** Fit the behaviour to the campaign's own history (source kind 'campaign'); given fields still win. */
  fitBehaviour: z.boolean().default(false),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  days: z.number().int().min(7).max(400).optional().describe('how long to live; default: to the campaign end and a week'),
});
export type SimulationRequest = z.infer<typeof simulationRequestSchema>;

/** A policy as run: its label and the policy itself. */
export function resolvePolicy(p: z.infer<typeof simulationPolicySchema>): { label: string; policy: z.input<typeof policySchema> } {
  const preset = p.preset ? POLICY_PRESETS[p.preset] : undefined;
  return { label: p.label ?? preset?.label ?? '自定义策略', policy: p.policy ?? preset?.policy ?? {} };
}
