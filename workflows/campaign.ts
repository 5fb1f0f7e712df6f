/**
 * One workflow per campaign (workflow id `campaign-<campaignId>`): what belongs to the whole
 * campaign, not to one item.
 *
 *  - The dispatch cadence: at the end of each period (weekly, 旬, fortnightly, monthly, on
 *    working days; planned by an activity on the official calendar) it compiles the dispatch
 *    sheet (调度表), stored once in PostgreSQL.
 *  - Ratings and listed supervision: each sheet rates every unit 好 / 中 / 差 (policy rules,
 *    domain/ratings.ts); the standings carried here list a unit after consecutive 差 (挂牌督办,
 *    with a summons intent for its leaders) and take it off after consecutive 好 — or when the
 *    office says so (the `delist` update), after the unit's application (`applyDelisting`) and
 *    the office's review (初审, `reviewDelisting`) when the policy asks for them
 *    (domain/delisting.ts).
 *  - Letters: each period's bulletin (通报) from its sheet, and for a listed unit the listing
 *    notice (挂牌督办通知) and the summons (约谈通知), each issued once and delivered by its
 *    own letter workflow.
 *  - Close-out: after the campaign's last day, once no item is open, the summary is written and
 *    the workflow ends; until then dispatch goes on.
 *
 * It never sees per-item events: its history grows by a few events per period (and continues
 * as new long before it matters), whether the campaign has ten items or ten thousand.
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Policy } from '../domain/policy';
import type { Principal } from '../domain/principal';
import { applyRatings, delistByOffice, type Standings } from '../domain/ratings';
import { applyRefusal, delistRefusal, nextRequest, reviewRefusal, type DelistingRefusal, type DelistingRequest } from '../domain/delisting';
import { addDays, instantAt, iso } from '../domain/time';

export interface CampaignWorkflowInput {
  campaignId: string;
  startDate: string;
  endDate: string;
  /** The campaign's policy as of its start: cadence and rating rules. */
  policy: Policy;
  maxHistoryEvents?: number;
  carried?: CampaignCarried;
}

interface CampaignCarried {
  startedAt: number;
  periods: number;
  lastAt: number;
  standings: Standings;
  delisting?: Record<string, DelistingRequest>;
}

export interface CampaignState {
  periods: number;
  lastDispatchAt: string;
  nextDispatchAt: string | null;
  /** Units under listed supervision, with the period that listed them. */
  listed: { unitId: string; since: number }[];
  standings: Standings;
  /** Each listed unit's latest 摘牌 application, if any. */
  delisting: Record<string, DelistingRequest>;
  closed: boolean;
}

export const getCampaignStateQuery = defineQuery<CampaignState>('getCampaignState');
/** The office takes a unit off the list (摘牌) before the rule would. */
export const delistUpdate = defineUpdate<CampaignState, [{ unitId: string; reason: string; actor: Principal }]>('delist');

/** A listed unit applies to come off the list (摘牌申请). */
export const applyDelistingUpdate = defineUpdate<CampaignState, [{ unitId: string; application: string; actor: Principal }]>('applyDelisting');
/** The office reviews the application (初审): passed, or sent back with its reasons. */
export const reviewDelistingUpdate = defineUpdate<CampaignState, [{ unitId: string; passed: boolean; note: string; actor: Principal }]>('reviewDelisting');

export const campaignWorkflowId = (campaignId: string): string => `campaign-${campaignId}`;

const refuse = (code: DelistingRefusal | null): void => {
  if (code) throw ApplicationFailure.create({ type: code, message: `refused: ${code}`, nonRetryable: true });
};

const { planDispatch, compileDispatchSheet, recordListing, recordDelistingStep, closeCampaign, issueBulletin, issueListingLetters } = proxyActivities<Activities>({
  // Compiling a sheet for ten thousand items reads them all: give it room.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const PLAN_AHEAD = 12;

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignState> {
  const { campaignId, policy } = input;
  const startedAt = input.carried?.startedAt ?? workflowInfo().startTime.getTime();
  let periods = input.carried?.periods ?? 0;
  let lastAt = input.carried?.lastAt ?? startedAt;
  let standings: Standings = input.carried?.standings ?? {};
  let delisting: Record<string, DelistingRequest> = input.carried?.delisting ?? {};
  // Policies from before the review existed ask for it too: it is the rule now.
  const needsReview = policy.ratings.delistNeedsReview !== false;
  const listedSince = (unitId: string): number | null => standings[unitId]?.listedSince ?? null;
  let nextAt: number | null = null;
  let closed = false;
  const endInstant = instantAt(addDays(input.endDate, 1));

  const state = (): CampaignState => ({
    periods,
    lastDispatchAt: iso(lastAt),
    nextDispatchAt: nextAt === null ? null : iso(nextAt),
    listed: Object.entries(standings)
      .filter(([, s]) => s.listedSince !== null)
      .map(([unitId, s]) => ({ unitId, since: s.listedSince! })),
    standings,
    delisting,
    closed,
  });

  setHandler(getCampaignStateQuery, state);
  setHandler(
    delistUpdate,
    async ({ unitId, reason, actor }) => {
      const since = listedSince(unitId)!;
      const request = delisting[unitId];
      standings = delistByOffice(standings, unitId);
      delete delisting[unitId];
      await recordListing({ campaignId, seq: periods, at: Date.now(), listed: [], delisted: [{ unitId, listedSince: since, by: actor, reason }] });
      if (request) await recordDelistingStep({ campaignId, unitId, listedSeq: since, requestNo: request.requestNo, step: 'delisted', note: reason, actor, at: Date.now() });
      return state();
    },
    { validator: ({ unitId }) => refuse(delistRefusal(listedSince(unitId), delisting[unitId], needsReview)) },
  );
  setHandler(
    applyDelistingUpdate,
    async ({ unitId, application, actor }) => {
      const request = nextRequest(listedSince(unitId)!, delisting[unitId], application, Date.now());
      delisting = { ...delisting, [unitId]: request };
      await recordDelistingStep({ campaignId, unitId, listedSeq: request.listedSince, requestNo: request.requestNo, step: 'applied', note: application, actor, at: request.appliedAt });
      return state();
    },
    { validator: ({ unitId }) => refuse(applyRefusal(listedSince(unitId), delisting[unitId])) },
  );
  setHandler(
    reviewDelistingUpdate,
    async ({ unitId, passed, note, actor }) => {
      const request: DelistingRequest = { ...delisting[unitId]!, status: passed ? 'review_passed' : 'review_failed' };
      delisting = { ...delisting, [unitId]: request };
      await recordDelistingStep({ campaignId, unitId, listedSeq: request.listedSince, requestNo: request.requestNo, step: request.status, note, actor, at: Date.now() });
      return state();
    },
    { validator: ({ unitId }) => refuse(reviewRefusal(listedSince(unitId), delisting[unitId])) },
  );

  const maxEvents = input.maxHistoryEvents ?? 2_000;
  for (;;) {
    const beforeEnd = lastAt < endInstant;
    let instants = await planDispatch({ cadence: policy.reportCadence, startedAt, after: lastAt, until: beforeEnd ? input.endDate : null, max: PLAN_AHEAD });
    // No cadence day left before the campaign's end: the end itself closes the last period.
    if (!instants.length && beforeEnd) instants = [endInstant];
    for (const at of instants) {
      nextAt = at;
      await sleep(Math.max(1, at - Date.now()));
      // One period: compile and store the sheet, rate, list or delist.
      const seq = periods + 1;
      const sheet = await compileDispatchSheet({ campaignId, seq, periodStart: lastAt, periodEnd: at, rules: policy.ratings, policyVersion: policy.version });
      periods = seq;
      lastAt = at;
      const change = applyRatings(standings, sheet.ratings, policy.ratings, seq);
      standings = change.standings;
      // Off the list by rule: an application still open has nothing left to ask.
      for (const d of change.delisted) delete delisting[d.unitId];
      if (change.listed.length || change.delisted.length) {
        await recordListing({ campaignId, seq, at, listed: change.listed, delisted: change.delisted.map((d) => ({ ...d, by: 'rule' as const })) });
      }
      if (patched('letters')) {
        // The period's bulletin (通报) from its sheet, then the listing notices and summons.
        // A letter that cannot be composed (the office was told) must not stop the dispatch.
        const unwritable = (err: unknown) => {
          if (!(err instanceof ActivityFailure)) throw err;
        };
        await issueBulletin({ campaignId, seq, at }).catch(unwritable);
        await issueListingLetters({ campaignId, seq, at, listed: change.listed }).catch(unwritable);
      }
      if (at >= endInstant && sheet.openItems === 0) {
        await closeCampaign({ campaignId, lastSeq: seq, at });
        closed = true;
        nextAt = null;
        await condition(allHandlersFinished);
        return state();
      }
      if (workflowInfo().historyLength > maxEvents || workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof campaignWorkflow>({ ...input, carried: { startedAt, periods, lastAt, standings, delisting } });
      }
    }
    // The plan is used up: plan again from the last period. (An empty plan after the end cannot
    // happen with a valid cadence; if it ever did, wait a day rather than spin.)
    if (!instants.length) await sleep('1 day');
  }
}
