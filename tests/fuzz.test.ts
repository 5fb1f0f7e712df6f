/**
 * A bounded fuzz run over the whole API, part of every `npm test`: each operation of the OpenAPI
 * document is sent requests generated from its own schemas (tests/fuzz/schema-arbitrary.ts) —
 * mostly valid, with hostile values mixed in at every field — as every kind of caller (office,
 * leader, a lead unit, an unrelated unit, no token, an unknown token), with malformed JSON and
 * wrong content types besides. It fails on any 5xx, any answer slower than the hang limit, any
 * status the document does not list for the operation, and any JSON answer that does not match
 * the documented schema. The seed is fixed, so a failure repeats; RECTIFY_FUZZ_SEED and
 * RECTIFY_FUZZ_RUNS explore further.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { OFFICE_TOKEN, newCampaign, office, startHarness, uniq, unitWithToken, type Harness } from './harness';
import { schemaArbitrary, type JsonSchema } from './fuzz/schema-arbitrary';

const SEED = Number(process.env.RECTIFY_FUZZ_SEED ?? 20261128);
const RUNS_PER_OPERATION = Number(process.env.RECTIFY_FUZZ_RUNS ?? 40);
// A hang, not a slow answer: activating a calendar version signals every open item of the run's database.
const HANG_MS = 30_000;

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
type Operation = {
  parameters?: { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};

let h: Harness;
let callers: { name: string; headers: Record<string, string> }[];
let knownIds: string[];

beforeAll(async () => {
  h = await startHarness();
  const lead = await unitWithToken(h, `市住建局-${uniq()}`);
  const co = await unitWithToken(h, `市水利局-${uniq()}`);
  const other = await unitWithToken(h, `市教育局-${uniq()}`);
  const leader = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'leader', name: '分管领导' } });
  const campaignId = await newCampaign(h);
  const created = await h.app.inject({
    method: 'POST',
    url: `/api/v1/campaigns/${campaignId}/items`,
    headers: office,
    payload: {
      items: [1, 2, 3, 4].map((n) => ({ number: String(n), content: `整改事项${n}`, deadline: '30WD', leadUnits: [lead.id], coUnits: [co.id] })),
    },
  });
  expect(created.statusCode).toBe(201);
  const itemIds = (created.json().items as { id: string }[]).map((i) => i.id);
  knownIds = [campaignId, ...itemIds, lead.id, co.id, other.id];
  callers = [
    { name: 'office', headers: office },
    { name: 'leader', headers: { authorization: `Bearer ${leader.json().token as string}` } },
    { name: 'lead unit', headers: lead.headers },
    { name: 'unrelated unit', headers: other.headers },
    { name: 'no token', headers: {} },
    { name: 'unknown token', headers: { authorization: 'Bearer not-a-real-token-123' } },
  ];
}, 120_000);
afterAll(() => h?.close());

interface Finding {
  operation: string;
  caller: string;
  problem: string;
  request: string;
  answer: string;
}

it('answers every generated request without a 5xx, a hang or an undocumented answer', async () => {
  const doc = h.app.swagger() as unknown as Doc;
  const ajv = new Ajv({ strict: false, validateFormats: false, logger: false });
  const validators = new Map<object, ReturnType<Ajv['compile']>>();
  const validate = (schema: JsonSchema, value: unknown) => {
    let v = validators.get(schema);
    if (!v) validators.set(schema, (v = ajv.compile(fromOpenApi({ ...schema, components: doc.components }) as object)));
    return v(value) ? undefined : ajv.errorsText(v.errors);
  };

  const findings: Finding[] = [];
  const statuses: Record<string, number> = {};
  let requests = 0;
  const covered = new Set<string>();
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  expect(operations.length).toBeGreaterThan(40);

  for (const [index, { path, method, op }] of operations.entries()) {
    const operation = `${method} ${path}`;
    for (const request of fc.sample(requestArbitrary(op, doc), { seed: SEED + index, numRuns: RUNS_PER_OPERATION })) {
      const caller = callers[request.caller % callers.length]!;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => enc(String(request.params[name] ?? 'x'))) + queryString(request.query);
      const headers: Record<string, string> = { ...caller.headers };
      let payload: string | Buffer | undefined;
      if (request.body !== undefined) {
        headers['content-type'] = request.contentType;
        payload = typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body);
      }
      if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
      const described = `${method} ${url} as ${caller.name}${payload !== undefined ? ` with ${headers['content-type']} ${String(payload).slice(0, 300)}` : ''}`;
      const started = Date.now();
      const res = await Promise.race([
        h.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) }),
        new Promise<'hang'>((r) => setTimeout(() => r('hang'), HANG_MS)),
      ]);
      requests++;
      covered.add(operation);
      const finding = (problem: string, answer = '') => findings.push({ operation, caller: caller.name, problem, request: described, answer: answer.slice(0, 400) });
      if (res === 'hang') {
        finding(`no answer within ${HANG_MS / 1000} s`);
        continue;
      }
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode >= 500) finding(`answered ${res.statusCode} after ${Date.now() - started} ms`, res.body);
      const documented = op.responses[String(res.statusCode)];
      if (!documented) {
        finding(`answered ${res.statusCode}, which the document does not list`, res.body);
        continue;
      }
      const schema = documented.content?.['application/json']?.schema;
      if (schema && String(res.headers['content-type'] ?? '').includes('json')) {
        const mismatch = validate(schema, res.json());
        if (mismatch) finding(`answer ${res.statusCode} does not match its schema: ${mismatch}`, res.body);
      }
    }
  }

  console.log(
    `fuzz: ${requests} requests, ${covered.size}/${operations.length} operations, seed ${SEED}; statuses ${JSON.stringify(statuses)}; ` +
      `${findings.filter((f) => f.problem.startsWith('answered 5')).length} 5xx, ${findings.filter((f) => f.problem.startsWith('no answer')).length} hangs, ` +
      `${findings.filter((f) => f.problem.includes('schema') || f.problem.includes('does not list')).length} schema mismatches`,
  );
  expect(covered.size).toBe(operations.length);
  expect(findings.slice(0, 25).map((f) => `${f.problem} — ${f.request}${f.answer ? ` → ${f.answer}` : ''}`)).toEqual([]);
}, 600_000);

it('limits a caller that sends too many requests, and says when to come back', async () => {
  const app = await buildApp({ sql: h.sql, temporal: h.client, namespace: 'default', taskQueue: h.taskQueue, temporalUiUrl: 'http://127.0.0.1:8233', officeToken: OFFICE_TOKEN, logger: false, rateLimit: { max: 5, windowMs: 60_000 } });
  try {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await app.inject({ method: 'GET', url: '/api/v1/units', headers: office }));
    expect(answers.slice(0, 5).map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[5]!.statusCode).toBe(429);
    expect(answers[5]!.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
    // Another caller (by token) still gets through: one client cannot starve the others.
    const lead = await unitWithToken(h, `市审计局-${uniq()}`);
    expect((await app.inject({ method: 'GET', url: '/api/v1/units', headers: lead.headers })).statusCode).toBe(200);
  } finally {
    await app.close();
  }
});

it('limits made-up tokens by address: a new token per request buys no new budget', async () => {
  const app = await buildApp({ sql: h.sql, temporal: h.client, namespace: 'default', taskQueue: h.taskQueue, temporalUiUrl: 'http://127.0.0.1:8233', officeToken: OFFICE_TOKEN, logger: false, rateLimit: { max: 5, windowMs: 60_000 } });
  try {
    const bogus = () => ({ authorization: `Bearer bogus-${uniq()}${uniq()}` });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await app.inject({ method: 'GET', url: '/api/v1/units', headers: bogus(), remoteAddress: '198.51.100.23' }));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(answers[5]!.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // No token at all counts against the same address; a real principal elsewhere is not affected.
    expect((await app.inject({ method: 'GET', url: '/api/v1/units', remoteAddress: '198.51.100.23' })).statusCode).toBe(429);
    expect((await app.inject({ method: 'GET', url: '/api/v1/units', headers: office, remoteAddress: '198.51.100.23' })).statusCode).toBe(200);
    // The budget is the principal's, not the token's: two tokens of one unit share it.
    const unit = await unitWithToken(h, `市统计局-${uniq()}`);
    const second = await h.app.inject({ method: 'POST', url: '/api/v1/principals', headers: office, payload: { role: 'unit', name: '第二联络员', unitId: unit.id } });
    const tokens = [unit.headers, { authorization: `Bearer ${second.json().token as string}` }];
    const shared = [];
    for (let i = 0; i < 6; i++) shared.push((await app.inject({ method: 'GET', url: '/api/v1/units', headers: tokens[i % 2]! })).statusCode);
    expect(shared).toEqual([200, 200, 200, 200, 200, 429]);
  } finally {
    await app.close();
  }
});

interface GeneratedRequest {
  caller: number;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  contentType: string;
  idempotencyKey?: string;
}

function requestArbitrary(op: Operation, doc: Doc): fc.Arbitrary<GeneratedRequest> {
  const parameters = op.parameters ?? [];
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of parameters) {
    if (p.in === 'path') params[p.name] = schemaArbitrary(p.schema, doc, { knownIds, hostileWeight: 1 });
    if (p.in === 'query') query[p.name] = schemaArbitrary(p.schema, doc, { knownIds, hostileWeight: 2 });
  }
  const required = parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name);
  const content = op.requestBody?.content ?? {};
  const [contentType, media] = Object.entries(content)[0] ?? [];
  const body: fc.Arbitrary<{ body: unknown; contentType: string }> = !op.requestBody
    ? fc.constant({ body: undefined, contentType: 'application/json' })
    : fc.oneof(
        { arbitrary: schemaArbitrary(media?.schema, doc, { knownIds, hostileWeight: 1 }).map((b) => ({ body: b, contentType: contentType ?? 'application/json' })), weight: 8 },
        { arbitrary: fc.constantFrom('{"items": [', '{"__proto__": {"x": 1}}', 'null', '"\\u0000"', '[]').map((b) => ({ body: b, contentType: 'application/json' })), weight: 1 },
        { arbitrary: fc.constantFrom({ body: 'a,b\n1,2', contentType: 'text/plain' }, { body: Buffer.from('PK\u0003\u0004garbage'), contentType: 'application/octet-stream' }), weight: 1 },
      );
  // Routes without a documented body (imports, receipts) still get one now and then.
  const rawBody = fc.constantFrom(
    { body: undefined, contentType: 'application/json' },
    { body: '序号,整改措施,牵头单位,整改时限\n1,清理,市住建局,10月底前\n', contentType: 'text/csv' },
    { body: Buffer.from('PK\u0003\u0004\u0000\u0000garbage'), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    { body: '{}', contentType: 'application/json' },
  );
  const hasKey = parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key');
  return fc.record({
    caller: fc.nat(),
    params: fc.record(params, { requiredKeys: Object.keys(params) }),
    query: fc.record(query, { requiredKeys: required }),
    payload: op.requestBody ? body : rawBody,
    idempotencyKey: hasKey ? fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }) : fc.constant(undefined),
  }).map(({ payload, ...r }) => ({ ...r, body: payload.body, contentType: payload.contentType }));
}

function queryString(query: Record<string, unknown>): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(typeof v === 'object' ? JSON.stringify(v) : String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** encodeURIComponent, but a lone surrogate goes out as its (invalid) UTF-8 bytes instead of throwing. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

/** OpenAPI 3.0's `nullable: true` in the JSON Schema Ajv reads: `anyOf: [schema, null]`. */
function fromOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromOpenApi);
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === 'enum' || k === 'const' || k === 'default' || k === 'example' ? v : fromOpenApi(v)]));
  if (!nullable) return converted;
  const { description, default: dflt, components, ...inner } = converted;
  return { anyOf: [inner, { type: 'null' }], ...(description ? { description } : {}), ...(dflt !== undefined ? { default: dflt } : {}), ...(components ? { components } : {}) };
}
