import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { effectivePolicy, type PolicyInput } from '../../domain/policy';
import type { Sql } from '../../infra/db';
import { campaignWorkflow, campaignWorkflowId } from '../../workflows/campaign';
import { notFound } from '../errors';
import type { Outbox } from './outbox';
import { temporalFailure } from './temporal-errors';
import { temporalProbe, type TemporalProbe } from './temporal-probe';
import type { CampaignDto } from '../routes/campaigns/schemas';

export interface NewCampaign {
  code?: string;
  title: string;
  docNumber?: string;
  issuingBody?: string;
  startDate: string;
  endDate: string;
  policy?: Partial<PolicyInput>;
}

/** 404 unless the campaign exists: for services that read a campaign's children only. */
export async function ensureCampaign(sql: Sql, id: string): Promise<void> {
  const [c] = await sql`select 1 from campaigns where id = ${id}`;
  if (!c) throw notFound('campaign', id);
}

export function createCampaignService({ sql, temporal, outbox, ...deps }: { sql: Sql; temporal: Client; outbox: Outbox; probe?: TemporalProbe }) {
  const probe = deps.probe ?? temporalProbe(temporal);
  const outboxEntry = (c: Pick<CampaignDto, 'id' | 'startDate' | 'endDate' | 'policy'>) => ({
    workflowId: campaignWorkflowId(c.id),
    workflowType: campaignWorkflow.name,
    args: [{ campaignId: c.id, startDate: c.startDate, endDate: c.endDate, policy: c.policy }],
  });
  /**
   * The campaign's own workflow (dispatch, ratings, listing): started once in its life, whatever
   * happens — through the outbox's start (a running one is joined, a closed one never started
   * again); Temporal away is a 503.
   */
  async function ensureWorkflow(c: CampaignDto): Promise<void> {
    const r = await outbox.startNow([outboxEntry(c)]);
    if (r.failed) throw await temporalFailure(r.error);
  }

  const select = async (where: ReturnType<Sql>) =>
    (await sql<(Omit<CampaignDto, 'policy'> & { policy: PolicyInput })[]>`
    select c.*, coalesce((
      select jsonb_object_agg(s.status, s.n) from (
        select st.status, count(*)::int as n from items i join item_states st on st.item_id = i.id
        where i.campaign_id = c.id group by st.status) s), '{}'::jsonb) as item_counts
    from campaigns c ${where} order by c.created_at desc`).map((c) => ({ ...c, policy: effectivePolicy(c.policy) }));

  return {
    /** Creates a campaign; with a `code` seen before, returns the existing one (created: false). */
    async create(c: NewCampaign): Promise<{ campaign: CampaignDto; created: boolean }> {
      const newId = crypto.randomUUID();
      // Temporal away: 503 TEMPORAL_UNAVAILABLE at once, and nothing committed.
      await probe.ensure();
      // The campaign and the start of its workflow (an outbox row) in one transaction: the
      // outbox drainer starts the workflow if this request cannot.
      const inserted = await sql.begin(async (tx) => {
        const rows = await tx<{ id: string }[]>`
          insert into campaigns (id, code, title, doc_number, issuing_body, start_date, end_date, policy, workflow_id)
          values (${newId}, ${c.code ?? null}, ${c.title}, ${c.docNumber ?? null}, ${c.issuingBody ?? null}, ${c.startDate}, ${c.endDate},
                  ${tx.json((c.policy ?? {}) as never)}, ${campaignWorkflowId(newId)})
          on conflict (code) do nothing returning id`;
        if (rows.length) {
          await outbox.record(tx as unknown as Sql, [
            outboxEntry({ id: newId, startDate: c.startDate, endDate: c.endDate, policy: effectivePolicy((c.policy ?? {}) as PolicyInput) }),
          ]);
        }
        return rows;
      });
      const id = inserted[0]?.id ?? (await sql<{ id: string }[]>`select id from campaigns where code = ${c.code!}`)[0]!.id;
      const campaign = await this.get(id);
      if (inserted.length) await outbox.startNow([outboxEntry(campaign)]);
      // An existing campaign: a crash between an earlier insert and its start must not leave it without one.
      else await ensureWorkflow(campaign);
      return { campaign, created: inserted.length > 0 };
    },

    /** Campaigns not yet closed out whose workflow is missing (created before it existed, or a crash) get it. */
    async ensureWorkflows(): Promise<number> {
      const open = await select(sql`where c.closed_at is null`);
      for (const c of open) {
        if (!c.workflowId) await sql`update campaigns set workflow_id = ${campaignWorkflowId(c.id)} where id = ${c.id}`;
        await ensureWorkflow(c);
      }
      return open.length;
    },

    async get(id: string): Promise<CampaignDto> {
      const [row] = await select(sql`where c.id = ${id}`);
      if (!row) throw notFound('campaign', id);
      return row;
    },

    list(): Promise<CampaignDto[]> {
      return select(sql``);
    },
  };
}
export type CampaignService = ReturnType<typeof createCampaignService>;
