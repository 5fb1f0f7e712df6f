/**
 * Dispatch sheets (调度表), listed supervision (挂牌督办) and the progress-vs-target series, read
 * from what the campaign workflow stored; the office's delisting goes to the workflow as an Update.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { DispatchSheet } from '../../domain/dispatch';
import type { Evaluation } from '../../domain/evaluation';
import type { Principal } from '../../domain/principal';
import type { Sql } from '../../infra/db';
import { applyDelistingUpdate, campaignWorkflowId, delistUpdate, getCampaignStateQuery, reviewDelistingUpdate, type CampaignState } from '../../workflows/campaign';
import { DELISTING_STEP_LABELS } from '../../domain/delisting';
import { conflict, notFound } from '../errors';
import { ensureCampaign } from './campaigns';
import { claimIdempotencyKey, principalKey } from './idempotency';
import { temporalFailure } from './temporal-errors';
import { temporalProbe, type TemporalProbe } from './temporal-probe';

/** How long a delist waits for the campaign workflow's worker. */
const DELIST_TIMEOUT_MS = 20_000;
/** How long a read of the campaign workflow's state waits for its worker. */
const STATE_TIMEOUT_MS = 10_000;

export function createDispatchService({ sql, temporal, ...deps }: { sql: Sql; temporal: Client; probe?: TemporalProbe }) {
  const campaignExists = (id: string) => ensureCampaign(sql, id);
  const probe = deps.probe ?? temporalProbe(temporal);

  /**
   * An Update on the campaign workflow about a listing (delist, apply, review). The key is the
   * caller's, for this campaign and this kind of update; the unit is part of the body, so the
   * same key for another unit (or another text) is 422.
   */
  async function listingUpdate<A extends { actor: Principal }>(
    campaignId: string,
    kind: 'delist' | 'applyDelisting' | 'reviewDelisting',
    update: UpdateDefinition<CampaignState, [A], string>,
    args: A,
    body: object,
    idempotencyKey?: string,
  ): Promise<CampaignState> {
    await campaignExists(campaignId);
    const who = principalKey(args.actor);
    if (idempotencyKey) await claimIdempotencyKey(sql, { principal: who, scope: `campaign:${campaignId}:${kind}`, key: idempotencyKey, body });
    await probe.ensure();
    try {
      return await temporal.connection.withDeadline(Date.now() + DELIST_TIMEOUT_MS, () =>
        temporal.workflow.getHandle(campaignWorkflowId(campaignId)).executeUpdate(update, {
          args: [args],
          updateId: idempotencyKey ? `${kind}:${who}:${idempotencyKey}` : `${kind}:${crypto.randomUUID()}`,
        }),
      );
    } catch (err) {
      // Refused by the workflow (NOT_LISTED, DELISTING_…): 409; the campaign closed out: its workflow is gone.
      throw await temporalFailure(err, {
        refusedCode: 'DELIST_REFUSED',
        gone: () => conflict('CAMPAIGN_CLOSED', 'the campaign is closed', { messageZh: '专项行动已结束' }),
        worker: { timeoutMs: DELIST_TIMEOUT_MS, probe },
      });
    }
  }

  return {
    async sheets(campaignId: string) {
      await campaignExists(campaignId);
      return sql<{ seq: number; periodStart: string; periodEnd: string; policyVersion: string; totals: DispatchSheet['totals']; compiledAt: string }[]>`
        select seq, period_start, period_end, policy_version, totals, compiled_at
        from dispatch_sheets where campaign_id = ${campaignId} order by seq`;
    },

    async sheet(campaignId: string, seq: number) {
      const [row] = await sql<(DispatchSheet & { policyVersion: string; compiledAt: string })[]>`
        select seq, period_start, period_end, policy_version, totals, units, compiled_at
        from dispatch_sheets where campaign_id = ${campaignId} and seq = ${seq}`;
      if (!row) throw notFound('dispatch sheet', `${campaignId}#${seq}`);
      return row;
    },

    async evaluations(campaignId: string) {
      await campaignExists(campaignId);
      return sql<(Omit<Evaluation, 'units'> & { policyVersion: string; compiledAt: string })[]>`
        select seq, period_start, period_end, policy_version, sheet_seqs, totals, compiled_at
        from evaluations where campaign_id = ${campaignId} order by seq`;
    },

    async evaluation(campaignId: string, seq: number) {
      const [row] = await sql<(Evaluation & { policyVersion: string; compiledAt: string })[]>`
        select seq, period_start, period_end, policy_version, sheet_seqs, totals, units, compiled_at
        from evaluations where campaign_id = ${campaignId} and seq = ${seq}`;
      if (!row) throw notFound('evaluation', `${campaignId}#${seq}`);
      return row;
    },

    /** One point per dispatch period, for the progress-vs-target (序时进度) chart. */
    async series(campaignId: string) {
      const sheets = await this.sheets(campaignId);
      return sheets.map((s) => ({
        seq: s.seq,
        at: s.periodEnd,
        completionRate: s.totals.completionRate,
        progress: s.totals.progress,
        target: s.totals.target,
        overdue: s.totals.overdue,
        notReported: s.totals.notReported,
      }));
    },

    async listings(campaignId: string) {
      await campaignExists(campaignId);
      const rows = await sql<{ unitId: string; unitName: string; listedSeq: number; listedAt: string; basis: 'dispatch' | 'evaluation'; poorPeriods: number[]; delistedAt: string | null; delistedSeq: number | null; delistedBy: string | null; delistReason: string | null }[]>`
        select l.unit_id, u.name as unit_name, l.listed_seq, l.listed_at, l.basis, l.poor_periods, l.delisted_at, l.delisted_seq, l.delisted_by, l.delist_reason
        from listed_supervisions l join units u on u.id = l.unit_id
        where l.campaign_id = ${campaignId} order by l.listed_at, u.name`;
      const steps = await sql<{ unitId: string; listedSeq: number; requestNo: number; step: keyof typeof DELISTING_STEP_LABELS; note: string; actor: string; at: string }[]>`
        select unit_id, listed_seq, request_no, step, note, actor, at from delisting_steps where campaign_id = ${campaignId}
        order by request_no, at, array_position(array['applied', 'review_passed', 'review_failed', 'delisted'], step)`;
      return rows.map((l) => ({
        ...l,
        delisting: steps
          .filter((s) => s.unitId === l.unitId && s.listedSeq === l.listedSeq)
          .map((s) => ({ requestNo: s.requestNo, step: s.step, stepLabel: DELISTING_STEP_LABELS[s.step], note: s.note, actor: s.actor, at: s.at })),
      }));
    },

    /** The campaign workflow's own view: periods so far, the next dispatch, who is listed. */
    async state(campaignId: string): Promise<CampaignState> {
      await campaignExists(campaignId);
      try {
        return await temporal.connection.withDeadline(Date.now() + STATE_TIMEOUT_MS, () =>
          temporal.workflow.getHandle(campaignWorkflowId(campaignId)).query(getCampaignStateQuery),
        );
      } catch (err) {
        throw await temporalFailure(err, {
          gone: () => notFound('campaign workflow', campaignWorkflowId(campaignId)),
          worker: { timeoutMs: STATE_TIMEOUT_MS, probe, retryHint: 'retry later' },
        });
      }
    },

    /**
     * The office takes a unit off the list (摘牌): 409 if it is not listed, or (policy
     * `ratings.delistNeedsReview`) unless its application passed the review.
     */
    async delist(campaignId: string, unitId: string, reason: string, actor: Principal, idempotencyKey?: string): Promise<CampaignState> {
      return listingUpdate(campaignId, 'delist', delistUpdate, { unitId, reason, actor }, { unitId, reason }, idempotencyKey);
    },

    /** The listed unit applies to come off the list (摘牌申请). */
    async applyDelisting(campaignId: string, unitId: string, application: string, actor: Principal, idempotencyKey?: string): Promise<CampaignState> {
      return listingUpdate(campaignId, 'applyDelisting', applyDelistingUpdate, { unitId, application, actor }, { unitId, application }, idempotencyKey);
    },

    /** The office reviews the application (初审). */
    async reviewDelisting(campaignId: string, unitId: string, review: { passed: boolean; note: string }, actor: Principal, idempotencyKey?: string): Promise<CampaignState> {
      return listingUpdate(campaignId, 'reviewDelisting', reviewDelistingUpdate, { unitId, ...review, actor }, { unitId, ...review }, idempotencyKey);
    },
  };
}
export type DispatchService = ReturnType<typeof createDispatchService>;
