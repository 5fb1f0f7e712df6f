/**
 * One workflow per campaign (workflow id `campaign-<campaignId>`): what belongs to the whole
 * campaign, not to one item.
 *
 *  - The dispatch cadence: at the end of each period (weekly, 旬, fortnightly, monthly,
 *    quarterly, on working days; planned by an activity on the official calendar) it compiles
 *    the dispatch sheet (调度表), stored once in PostgreSQL.
 *  - Three timelines (domain/cadences.ts): by default each sheet also rates and is bulletined;
 *    a policy may give the bulletin (通报) and the rating (考评) cadences of their own (seed 001:
 *    "每周一调度、每月一会商、季度一考评"), merged here into one sequence of instants. An
 *    evaluation rates the units on the sheets of its period (domain/evaluation.ts).
 *  - Ratings and listed supervision: each rating (a sheet's or an evaluation's) judges every unit
 *    好 / 中 / 差 (policy rules, domain/ratings.ts); the standings carried here list a unit after
 *    consecutive 差 (挂牌督办, with a summons intent for its leaders and its contact department's:
 *    双约谈) and take it off after consecutive 好 — or when the office says so (the `delist`
 *    update), after the unit's application (`applyDelisting`) and the office's review (初审,
 *    `reviewDelisting`) when the policy asks for them (domain/delisting.ts).
 *  - Letters: each bulletin (通报), and for a listed unit the listing
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
import { applyRatings, delistByOffice, type Rating, type Standings } from '../domain/ratings';
import { campaignCadences, ratingBasis, type RatingBasis } from '../domain/cadences';
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
  /** With their own cadences (policy.cadences): evaluations and bulletins so far. */
  evaluations?: number;
  lastEvaluationAt?: number;
  bulletins?: number;
  lastBulletinAt?: number;
}

/** The campaign's timelines (domain/cadences.ts): dispatch sheets, ratings (考评), bulletins (通报). */
type Timeline = 'dispatch' | 'rating' | 'bulletin';

export interface CampaignState {
  periods: number;
  lastDispatchAt: string;
  nextDispatchAt: string | null;
  /** What listing counts: dispatch periods, or evaluations (考评) on their own cadence. */
  ratingBasis: RatingBasis;
  /** Evaluations (考评) so far and the next one; 0 and null without a rating cadence of its own. */
  evaluations: number;
  nextEvaluationAt: string | null;
  /** Bulletins (通报) on their own cadence so far and the next one; 0 and null when each sheet has its bulletin. */
  bulletins: number;
  nextBulletinAt: string | null;
  /** Units under listed supervision, with the period (or evaluation) that listed them. */
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

const { planDispatch, compileDispatchSheet, compileEvaluation, recordListing, recordDelistingStep, closeCampaign, issueBulletin, issueListingLetters } = proxyActivities<Activities>({
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
  // Seed 001's "每周一调度、每月一会商、季度一考评": a bulletin and a rating may each keep their own time.
  const cadences = campaignCadences(policy);
  const separate = (['rating', 'bulletin'] as const).filter((t) => cadences[t] !== null);
  const basis = ratingBasis(cadences);
  // Listings counted on evaluations say so; the dispatch basis sends what it always sent.
  const basisArg = basis === 'evaluation' ? { basis } : {};
  let evaluations = input.carried?.evaluations ?? 0;
  let lastEvaluationAt = input.carried?.lastEvaluationAt ?? startedAt;
  let bulletins = input.carried?.bulletins ?? 0;
  let lastBulletinAt = input.carried?.lastBulletinAt ?? startedAt;
  // Each timeline's next instants, planned a few at a time on the calendar; the dispatch sheet's
  // drives the loop, a separate bulletin's and rating's are merged in.
  const queue: Record<Timeline, number[]> = { dispatch: [], rating: [], bulletin: [] };
  const ended = new Set<Timeline>();
  /** Units listed at the instant being processed, with the 差 periods that listed them. */
  let listedNow: { unitId: string; poorPeriods: number[] }[] = [];
  // Policies from before the review existed ask for it too: it is the rule now.
  const needsReview = policy.ratings.delistNeedsReview !== false;
  const listedSince = (unitId: string): number | null => standings[unitId]?.listedSince ?? null;
  let nextAt: number | null = null;
  let closed = false;
  const endInstant = instantAt(addDays(input.endDate, 1));

  /** The periods listing counts so far: dispatch periods or evaluations. */
  const ratedPeriods = () => (basis === 'evaluation' ? evaluations : periods);

  const state = (): CampaignState => ({
    periods,
    lastDispatchAt: iso(lastAt),
    nextDispatchAt: nextAt === null ? null : iso(nextAt),
    ratingBasis: basis,
    evaluations,
    nextEvaluationAt: closed || !cadences.rating || queue.rating[0] === undefined ? null : iso(queue.rating[0]),
    bulletins,
    nextBulletinAt: closed || !cadences.bulletin || queue.bulletin[0] === undefined ? null : iso(queue.bulletin[0]),
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
      await recordListing({ campaignId, seq: ratedPeriods(), at: Date.now(), listed: [], delisted: [{ unitId, listedSince: since, by: actor, reason }], ...basisArg });
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

  const last = (t: Timeline) => (t === 'dispatch' ? lastAt : t === 'rating' ? lastEvaluationAt : lastBulletinAt);
  async function plan(t: Timeline): Promise<number[]> {
    const beforeEnd = last(t) < endInstant;
    const instants = await planDispatch({ cadence: cadences[t], startedAt, after: last(t), until: beforeEnd ? input.endDate : null, max: PLAN_AHEAD });
    // No cadence day left before the campaign's end: the end itself closes the last period.
    return !instants.length && beforeEnd ? [endInstant] : instants;
  }

  /** A dispatch period closes: its sheet, and (one cadence for all) its ratings. */
  async function dispatchPeriod(at: number) {
    const seq = periods + 1;
    const sheet = await compileDispatchSheet({ campaignId, seq, periodStart: lastAt, periodEnd: at, rules: policy.ratings, policyVersion: policy.version });
    periods = seq;
    lastAt = at;
    if (basis === 'dispatch') await rate(sheet.ratings, seq, at);
    return sheet;
  }

  /** An evaluation period (考评) closes: its units are rated on what its sheets collected. */
  async function evaluationPeriod(at: number) {
    const seq = evaluations + 1;
    const evaluation = await compileEvaluation({ campaignId, seq, periodStart: lastEvaluationAt, periodEnd: at, rules: policy.ratings, policyVersion: policy.version });
    evaluations = seq;
    lastEvaluationAt = at;
    await rate(evaluation.ratings, seq, at);
  }

  /** Ratings move the standings: listed after the 差 streak, off after the 好 streak (domain/ratings.ts). */
  async function rate(ratings: { unitId: string; rating: Rating | null }[], seq: number, at: number) {
    const change = applyRatings(standings, ratings, policy.ratings, seq);
    standings = change.standings;
    // Off the list by rule: an application still open has nothing left to ask.
    for (const d of change.delisted) delete delisting[d.unitId];
    if (change.listed.length || change.delisted.length) {
      await recordListing({ campaignId, seq, at, listed: change.listed, delisted: change.delisted.map((d) => ({ ...d, by: 'rule' as const })), ...basisArg });
    }
    listedNow.push(...change.listed);
  }

  const maxEvents = input.maxHistoryEvents ?? 2_000;
  for (;;) {
    if (!queue.dispatch.length) {
      queue.dispatch = await plan('dispatch');
      // An empty plan after the end cannot happen with a valid cadence; if it ever did, wait a day rather than spin.
      if (!queue.dispatch.length) {
        await sleep('1 day');
        continue;
      }
    }
    for (const t of separate) {
      if (!queue[t].length && !ended.has(t)) queue[t] = await plan(t);
      if (!queue[t].length) ended.add(t);
    }
    const at = Math.min(...(['dispatch', ...separate] as Timeline[]).map((t) => queue[t][0] ?? Infinity));
    nextAt = queue.dispatch[0]!;
    await sleep(Math.max(1, at - Date.now()));
    const due = (t: Timeline): boolean => {
      if (queue[t][0] !== at) return false;
      queue[t].shift();
      return true;
    };
    listedNow = [];

    // One instant, in the order an office works: the sheet, the rating, the bulletin, the letters of a listing.
    const sheet = due('dispatch') ? await dispatchPeriod(at) : null;
    if (cadences.rating && due('rating')) await evaluationPeriod(at);
    // The bulletin's instant is used up here, whatever happens below: the loop always moves on.
    const bulletinDue = cadences.bulletin !== null && due('bulletin');
    const bulletinSince = lastBulletinAt;
    if (bulletinDue) lastBulletinAt = at;
    if (patched('letters')) {
      // A letter that cannot be composed (the office was told) must not stop the dispatch.
      const unwritable = (err: unknown) => {
        if (!(err instanceof ActivityFailure)) throw err;
      };
      if (!cadences.bulletin && sheet) await issueBulletin({ campaignId, seq: periods, at }).catch(unwritable);
      if (bulletinDue) {
        // Numbered by the bulletins actually issued (none without a new sheet in its period).
        const issued = await issueBulletin({ campaignId, seq: bulletins + 1, at, since: bulletinSince }).catch(unwritable);
        if (issued) bulletins++;
      }
      // Listing letters go per deciding period (a sheet's or an evaluation's; one per instant).
      if (basis === 'dispatch' ? sheet : listedNow.length) {
        await issueListingLetters({ campaignId, seq: ratedPeriods(), at, listed: listedNow, ...basisArg }).catch(unwritable);
      }
    }
    if (sheet && at >= endInstant && sheet.openItems === 0) {
      await closeCampaign({ campaignId, lastSeq: periods, at });
      closed = true;
      nextAt = null;
      await condition(allHandlersFinished);
      return state();
    }
    if (workflowInfo().historyLength > maxEvents || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof campaignWorkflow>({
        ...input,
        carried: { startedAt, periods, lastAt, standings, delisting, ...(separate.length ? { evaluations, lastEvaluationAt, bulletins, lastBulletinAt } : {}) },
      });
    }
  }
}
