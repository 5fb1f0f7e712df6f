/**
 * Documents the error answers of every route in the OpenAPI document, in one place, from what
 * the server really does: the error handler (api/plugins/error-handler.ts) answers every failure
 * with one shape, and which statuses a route can give follows from its own definition — a body
 * can be malformed (400), too large (413) or of the wrong type (415); a route behind a token
 * answers 401/403 (the rule of which routes are public is auth.ts's isPublic); a path with an id
 * can miss (404); a route taking an Idempotency-Key can see it reused with another body (422;
 * those routes are the workflow actions, whose refused input is 422 too, and the creates that
 * replay their first answer — routes/idempotent.ts — whose key still in use is a 409 like any
 * body-taking route's); every route may be
 * rate limited (429), fail inside (500) or find a part it needs down (503). Generated clients and contract tests (tests/fuzz.test.ts)
 * rely on this list, so a status missing here is a bug the fuzz run reports.
 */
import fp from 'fastify-plugin';
import { z } from 'zod';
import { isPublic } from './auth';

export const errorSchema = z
  .looseObject({
    statusCode: z.number().int(),
    error: z.string().optional(),
    code: z.string().describe('machine-readable, e.g. VALIDATION_FAILED, FORBIDDEN, ITEM_CLOSED, RATE_LIMITED'),
    message: z.string().describe('for people: English, with the Chinese wording where users see it'),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('one entry per invalid field'),
  })
  .describe('Error');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the fields and the reasons are in `details`',
  401: 'No token, or an unknown one',
  403: 'The token may not do this',
  404: 'Not found (or not visible to this token)',
  409: 'Not allowed in the current state',
  413: 'Body or file too large',
  414: 'A path parameter is too long',
  415: 'Unsupported content type',
  422: 'The Idempotency-Key was used before with a different request, or the workflow refused the input (INVALID_INPUT)',
  429: 'Too many requests: wait for the time in Retry-After',
  500: 'Internal error',
  503: 'A part the request needs (PostgreSQL, Temporal, a worker, the evidence file store) is unavailable: retry later',
};

export default fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      const schema = route.schema as (Record<string, unknown> & { hide?: boolean; response?: Record<string | number, unknown> }) | undefined;
      if (!schema || schema.hide || route.url.startsWith('/docs')) return;
      const takesBody = ['POST', 'PUT', 'PATCH'].includes(String(route.method));
      const statuses = [400, 429, 500, 503];
      if (!isPublic(route)) statuses.push(401, 403);
      if (route.url.includes(':')) statuses.push(404, 414); // 414: a path parameter longer than Fastify's maxParamLength
      if (takesBody) statuses.push(409, 413, 415);
      const headers = schema.headers as { shape?: Record<string, unknown> } | undefined;
      if (headers?.shape && 'idempotency-key' in headers.shape) statuses.push(422);
      const response = { ...(schema.response ?? {}) };
      for (const status of statuses.sort()) {
        if (response[status] === undefined) response[status] = errorSchema.describe(DESCRIPTIONS[status]!);
      }
      route.schema = { ...schema, response };
    });
  },
  { name: 'error-responses' },
);

/**
 * The success answer of a route that sends a file (a letter as .docx/.pdf/.html, the ledger as
 * .xlsx): documented by its media types, so the OpenAPI document lists it like any other.
 */
export function fileResponse(description: string, mediaTypes: string[]) {
  const file = z.string().meta({ format: 'binary' });
  return { description, content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: file }])) };
}
