import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKeyHeaders } from '../idempotent';
import {
  campaignParams,
  campaignStateSchema,
  applyDelistingBody,
  delistBody,
  delistParams,
  evaluationSchema,
  evaluationSummarySchema,
  reviewDelistingBody,
  listingSchema,
  seriesSchema,
  sheetParams,
  sheetSchema,
  sheetSummarySchema,
} from './schemas';

/** The schema of an Update on a listing (delist, apply, review): a unit of a campaign, a body, an Idempotency-Key. */
const listingAction = <B extends z.ZodTypeAny>(summary: string, refusals: string, body: B) => ({
  tags: ['dispatch'],
  summary,
  description: `${refusals} Send \`Idempotency-Key\` to make a retry safe.`,
  params: delistParams,
  body,
  headers: idempotencyKeyHeaders,
  response: { 200: campaignStateSchema },
});

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/campaigns/:id/dispatch', {
    schema: {
      tags: ['dispatch'],
      summary: "The campaign workflow's state: periods dispatched, the next dispatch, units listed and their standings",
      params: campaignParams,
      response: { 200: campaignStateSchema },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return app.dispatch.state(req.params.id);
    },
  });
  app.get('/campaigns/:id/dispatch-sheets', {
    schema: { tags: ['dispatch'], summary: 'Dispatch sheets (调度表), one per period, oldest first (totals only)', params: campaignParams, response: { 200: z.object({ sheets: z.array(sheetSummarySchema) }) } },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { sheets: await app.dispatch.sheets(req.params.id) };
    },
  });
  app.get('/campaigns/:id/dispatch-sheets/:seq', {
    schema: {
      tags: ['dispatch'],
      summary: 'One dispatch sheet as it was compiled: per unit, ratings 好/中/差, ranking',
      params: sheetParams,
      response: { 200: sheetSchema },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return app.dispatch.sheet(req.params.id, req.params.seq);
    },
  });
  app.get('/campaigns/:id/evaluations', {
    schema: {
      tags: ['dispatch'],
      summary: 'Evaluations (考评) on the rating cadence of their own (policy.cadences.rating), oldest first (totals only); none without one',
      params: campaignParams,
      response: { 200: z.object({ evaluations: z.array(evaluationSummarySchema) }) },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { evaluations: await app.dispatch.evaluations(req.params.id) };
    },
  });
  app.get('/campaigns/:id/evaluations/:seq', {
    schema: {
      tags: ['dispatch'],
      summary: 'One evaluation (考评) as it was built from the sheets of its period: per unit, rating 好/中/差, ranking',
      params: sheetParams,
      response: { 200: evaluationSchema },
    },
    handler: async (req) => {
      req.authorize('campaign:read');
      return app.dispatch.evaluation(req.params.id, req.params.seq);
    },
  });
  app.get('/campaigns/:id/stats/series', {
    schema: { tags: ['campaigns'], summary: 'Progress against the time-proportional target (序时进度), one point per dispatch period', params: campaignParams, response: { 200: seriesSchema } },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { points: await app.dispatch.series(req.params.id) };
    },
  });
  app.get('/campaigns/:id/listed', {
    schema: { tags: ['dispatch'], summary: 'Listed supervision (挂牌督办): every listing, current and past', params: campaignParams, response: { 200: z.object({ listings: z.array(listingSchema) }) } },
    handler: async (req) => {
      req.authorize('campaign:read');
      return { listings: await app.dispatch.listings(req.params.id) };
    },
  });
  app.post('/campaigns/:id/listed/:unitId/delist', {
    schema: listingAction(
      'Take a unit off listed supervision (摘牌) by decision of the office',
      '409 `NOT_LISTED` when the unit is not listed; 409 `DELISTING_NOT_REVIEWED` unless the unit applied and the review (初审) passed (policy `ratings.delistNeedsReview`, default on).',
      delistBody,
    ),
    handler: async (req) => {
      const by = req.authorize('campaign:write');
      return app.dispatch.delist(req.params.id, req.params.unitId, req.body.reason, by, req.headers['idempotency-key']);
    },
  });
  app.post('/campaigns/:id/listed/:unitId/delisting-application', {
    schema: listingAction(
      'Apply to come off listed supervision (摘牌申请); the listed unit itself',
      '409 `NOT_LISTED`, or `DELISTING_PENDING` while an application awaits its review or decision.',
      applyDelistingBody,
    ),
    handler: async (req) => {
      const by = req.authorize('listing:apply', { unitId: req.params.unitId });
      return app.dispatch.applyDelisting(req.params.id, req.params.unitId, req.body.application, by, req.headers['idempotency-key']);
    },
  });
  app.post('/campaigns/:id/listed/:unitId/delisting-review', {
    schema: listingAction(
      'Review a 摘牌 application (初审): passed (the office may then delist) or sent back; office only',
      '409 `NO_DELISTING_APPLICATION` when no application awaits review.',
      reviewDelistingBody,
    ),
    handler: async (req) => {
      const by = req.authorize('campaign:write');
      return app.dispatch.reviewDelisting(req.params.id, req.params.unitId, req.body, by, req.headers['idempotency-key']);
    },
  });
};
export default routes;
