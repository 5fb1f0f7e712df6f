/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document (which the routes' zod
 * schemas generate): values a careful client would send, with hostile ones mixed in at every
 * leaf — out-of-window dates, huge offsets, NUL bytes, lone surrogates, formulas, wrong types.
 * The fuzz run (tests/fuzz.test.ts) sends them to every operation.
 */
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
};

/** Values that broke, or could break, a service: each leaf is one of these now and then. */
export const HOSTILE: unknown[] = [
  '',
  ' ',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e覆盖',
  '9999-12-31',
  '0000-01-01',
  '2026-02-30',
  '2026-02-30T00:00:00Z',
  '1900-01-01',
  '3000000WD',
  'P99999999W',
  'PT0S',
  '-1WD',
  '9007199254740990',
  '2147483648',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  '=HYPERLINK("http://example.invalid","x")',
  '@SUM(1)',
  "'; drop table items; --",
  '../../etc/passwd',
  '{{#each @root.items}}{{#each @root.items}}{{/each}}{{/each}}',
  'x'.repeat(20_001),
  'A0A0A0A0-0000-4000-8000-000000000000',
  '00000000-0000-0000-0000-000000000000',
  0,
  -1,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  1.5,
  true,
  null,
  [],
  {},
  ['a\u0000'],
];

export interface ArbitraryOptions {
  /** Fills uuid-shaped fields with known ids now and then, so requests reach past the lookups. */
  knownIds?: string[];
  /** Weight of a hostile value against 10 for a schema-valid one. */
  hostileWeight?: number;
}

export function schemaArbitrary(schema: JsonSchema | undefined, doc: { components?: { schemas?: Record<string, JsonSchema> } }, opts: ArbitraryOptions = {}, depth = 0): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema ?? {}, doc, opts, depth);
  const hostileWeight = opts.hostileWeight ?? 1;
  if (hostileWeight <= 0) return valid;
  return fc.oneof({ arbitrary: valid, weight: 10 }, { arbitrary: fc.constantFrom(...HOSTILE), weight: hostileWeight });
}

function validArbitrary(schema: JsonSchema, doc: { components?: { schemas?: Record<string, JsonSchema> } }, opts: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return validArbitrary(doc.components?.schemas?.[name] ?? {}, doc, opts, depth);
  }
  const inner = (s: JsonSchema) => (depth > 6 ? fc.constant(null) : schemaArbitrary(s, doc, opts, depth + 1));
  const nullable = (a: fc.Arbitrary<unknown>) => (schema.nullable || (Array.isArray(schema.type) && schema.type.includes('null')) ? fc.option(a, { nil: null }) : a);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return nullable(fc.constantFrom(...schema.enum));
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return nullable(fc.oneof(...union.map((s) => validArbitrary(s, doc, opts, depth + 1))));
  if (schema.allOf?.length) return validArbitrary(Object.assign({}, ...schema.allOf), doc, opts, depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return nullable(stringArbitrary(schema, opts));
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
      const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
      const ints = fc.oneof(fc.constantFrom(lo, hi), fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) }));
      return nullable(type === 'integer' ? ints : fc.oneof(ints, fc.double({ min: lo, max: hi, noNaN: true })));
    }
    case 'boolean':
      return nullable(fc.boolean());
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return nullable(fc.array(inner(schema.items ?? {}), { minLength, maxLength }));
    }
    case 'object':
    default: {
      if (!schema.properties) return nullable(type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }) : fc.anything({ maxDepth: 2 }));
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(schema.properties)) props[k] = inner(s);
      return nullable(fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) }));
    }
  }
}

function stringArbitrary(schema: JsonSchema, opts: ArbitraryOptions): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  const known = opts.knownIds?.length ? [fc.constantFrom(...opts.knownIds)] : [];
  if (schema.format === 'uuid') return fc.oneof(...known, fc.uuid());
  if (schema.format === 'date') return dateString();
  if (schema.format === 'date-time') return dateString().map((d) => `${d}T08:00:00.000Z`);
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= Math.max(maxLength, 64));
    } catch {
      // a pattern JavaScript cannot read: plain strings below
    }
  }
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.constantFrom('10WD', 'P30D', '10月底前', '立行立改', '长期坚持', '2027-06-30', '市住建局', '白城市水利局', 'weekly').filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 1e9)),
  );
}

function dateString(): fc.Arbitrary<string> {
  return fc
    .date({ min: new Date('1949-10-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
}
