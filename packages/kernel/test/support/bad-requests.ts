/**
 * Malformed requests derived from the OpenAPI document: for each operation, junk path parameters,
 * junk query strings and junk bodies. Each request says whether the app must refuse it (a 4xx) or
 * only survive it (no 5xx): a route that declares no query string, for one, may ignore one.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** The parts of a JSON schema (as OpenAPI carries it) the generators look at. */
export interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minProperties?: number;
}

export interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<Lowercase<HttpMethod>, OpenApiOperation>>>;
}

/** One operation of the document, with what the sweep needs to address it. */
export interface Operation {
  method: HttpMethod;
  path: string;
  spec: OpenApiOperation;
  staffOnly: boolean;
}

/** reject: a 4xx is required. survive: anything but a 5xx (a 4xx must still be a proper problem). */
export type Expectation = 'reject' | 'survive';

export interface BadRequest {
  label: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  expect: Expectation;
  /** The one status that is right, where only one is. */
  status?: number;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, spec]) => ({
      method: method.toUpperCase() as HttpMethod,
      path,
      spec: spec!,
      staffOnly: Array.isArray(spec!.security) && spec!.security.length > 0,
    })),
  );
}

/** The URL of an operation with its path parameters filled in (values are inserted as given, not encoded). */
export function urlOf(operation: Operation, params: Record<string, string>, query = ''): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${operation.path}`);
    return value;
  });
  return query ? `${path}?${query}` : path;
}

const ALL_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const;
const SAMPLE_OF_TYPE: Record<string, unknown> = {
  string: 'text',
  number: 1.5,
  boolean: true,
  null: null,
  array: [],
  object: {},
};

/** The JSON types a schema admits at its top level ('number' admits integers too). */
function typesOf(schema: JsonSchema): Set<string> {
  if (schema.anyOf) return new Set(schema.anyOf.flatMap((s) => [...typesOf(s)]));
  if (schema.type === undefined) return new Set(ALL_TYPES);
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  if (types.has('number')) types.add('integer');
  return types;
}

function enumOf(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  if (schema.anyOf?.every((s) => s.enum || s.const !== undefined))
    return schema.anyOf.flatMap((s) => enumOf(s)!);
  return undefined;
}

/** The variant of a union that admits a type (the string branch of a nullable string, say). */
function branchFor(schema: JsonSchema, type: string): JsonSchema {
  return schema.anyOf?.find((s) => typesOf(s).has(type)) ?? schema;
}

/** Values of JSON types the schema does not admit. */
function wrongTypeValues(schema: JsonSchema): unknown[] {
  const admitted = typesOf(schema);
  const values: unknown[] = [];
  for (const type of Object.keys(SAMPLE_OF_TYPE)) {
    if (!admitted.has(type)) values.push(SAMPLE_OF_TYPE[type]);
  }
  if (admitted.has('number') && !admitted.has('string')) values.push('12');
  return values;
}

/** A string no pattern of the catalogue admits: control characters, spaces and markup. */
const PATTERN_BREAKER = ' \u0000<b>../\u202e';

const NUL_TEXT = 'a\u0000b';
/** A lone UTF-16 surrogate: JSON can carry one (as \ud800), PostgreSQL would keep U+FFFD instead. */
const LONE_SURROGATE_TEXT = 'a\ud800b';
/** Record keys the attribute filter (and so every record of names) refuses. */
const BAD_NAMES = ['Size', 'has space', 'x'.repeat(80)];

function nestedJunk(depth: number): unknown {
  let value: unknown = { junk: true };
  for (let i = 0; i < depth; i += 1) value = i % 2 ? { deeper: value } : [value];
  return value;
}

export interface Mutation {
  field: string;
  value: unknown;
}

/**
 * Values that break the schema, one field at a time, starting from a valid value: wrong types,
 * out-of-range numbers, strings that are too long, too short or off-pattern, unknown and missing
 * properties, oversized arrays and deep nesting.
 */
export function mutations(schema: JsonSchema, valid: unknown, field = '', depth = 0): Mutation[] {
  const out: Mutation[] = wrongTypeValues(schema).map((value) => ({ field, value }));
  const types = typesOf(schema);
  const allowed = enumOf(schema);
  if (allowed && types.has('string')) out.push({ field, value: 'bogus-value' });

  if (types.has('string') && !allowed) {
    const s = branchFor(schema, 'string');
    if (s.minLength) out.push({ field, value: '' });
    if (s.maxLength !== undefined) out.push({ field, value: 'x'.repeat(s.maxLength + 1) });
    if (s.pattern && !new RegExp(s.pattern, 'u').test(PATTERN_BREAKER))
      out.push({ field, value: PATTERN_BREAKER });
    // PostgreSQL text cannot hold U+0000 nor keep a lone surrogate, so no string field can take either.
    if (!s.pattern || new RegExp(s.pattern, 'u').test(NUL_TEXT)) out.push({ field, value: NUL_TEXT });
    if (!s.pattern || new RegExp(s.pattern, 'u').test(LONE_SURROGATE_TEXT))
      out.push({ field, value: LONE_SURROGATE_TEXT });
  }
  if (types.has('integer') || types.has('number')) {
    const n = branchFor(schema, types.has('integer') ? 'integer' : 'number');
    if (n.type === 'integer') out.push({ field, value: 1.5 });
    if (n.minimum !== undefined) out.push({ field, value: n.minimum - 1 });
    if (n.maximum !== undefined) out.push({ field, value: n.maximum + 1 }, { field, value: 1e308 });
    if (n.minimum !== undefined) out.push({ field, value: -1e308 });
  }
  if (types.has('array')) {
    const a = branchFor(schema, 'array');
    const items = Array.isArray(valid) ? valid : [];
    if (a.items) {
      const wrong = wrongTypeValues(a.items);
      if (wrong.length) out.push({ field, value: [...items, wrong[0]] });
    }
    if (a.maxItems !== undefined && a.maxItems <= 5000 && items.length)
      out.push({ field, value: Array.from({ length: a.maxItems + 1 }, () => items[0]) });
    if (a.minItems) out.push({ field, value: [] });
    if (a.items && items.length && depth < 3) {
      for (const m of mutations(a.items, items[0], `${field}.0`, depth + 1))
        out.push({ field: m.field, value: [m.value, ...items.slice(1)] });
    }
  }
  if (types.has('object') && valid && typeof valid === 'object' && !Array.isArray(valid) && depth < 3) {
    const o = branchFor(schema, 'object');
    const base = valid as Record<string, unknown>;
    const at = (key: string) => (field ? `${field}.${key}` : key);
    if (o.additionalProperties === false)
      out.push({ field: at('unknownProperty'), value: { ...base, unknownProperty: 1 } });
    for (const key of o.required ?? []) {
      const { [key]: _dropped, ...rest } = base;
      out.push({ field: at(key), value: rest });
    }
    if (o.minProperties) out.push({ field, value: {} });
    for (const [key, propertySchema] of Object.entries(o.properties ?? {})) {
      const sample = key in base ? base[key] : undefined;
      for (const m of mutations(propertySchema, sample, at(key), depth + 1))
        out.push({ field: m.field, value: { ...base, [key]: m.value } });
    }
    for (const [pattern, valueSchema] of Object.entries(o.patternProperties ?? {})) {
      if (!new RegExp(pattern, 'u').test(PATTERN_BREAKER))
        out.push({ field: at('(key)'), value: { ...base, [PATTERN_BREAKER]: 'x' } });
      for (const name of BAD_NAMES.filter((n) => !new RegExp(pattern, 'u').test(n)))
        out.push({ field: at('(key)'), value: { ...base, [name]: 'x' } });
      const wrong = wrongTypeValues(valueSchema);
      if (wrong.length) out.push({ field: at('(value)'), value: { ...base, aa: wrong[0] } });
      if (typesOf(valueSchema).has('string'))
        out.push({ field: at('(value)'), value: { ...base, aa: NUL_TEXT } });
      if (o.additionalProperties === false || o.additionalProperties === undefined) {
        out.push({ field: at('(nested)'), value: { ...base, aa: nestedJunk(200) } });
      }
    }
  }
  return out;
}

/** Raw path segments that are no valid value of any parameter, or name nothing that exists. */
export const PATH_JUNK: string[] = [
  'x'.repeat(150),
  'x'.repeat(300),
  'x'.repeat(5000),
  encodeURIComponent('żółw-😀-ﬁ'),
  '%00',
  'a%00b',
  // Dot segments ('..', '%2e%2e') are resolved by every URL parser before a request is sent.
  '...',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  '%',
  '%E0%A4%A',
  '%ED%A0%80',
  '%FF%FE',
  '%20',
  encodeURIComponent("1' or '1'='1"),
  encodeURIComponent('<script>alert(1)</script>'),
  '-1',
  '1e400',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '*',
];

const INTEGER_JUNK = [
  'abc',
  '1.5',
  '',
  '1e400',
  'NaN',
  'Infinity',
  '99999999999999999999',
  '-99999999999999999999',
  // Number() reads all of these as 16 (or 10): only decimal digits stand for an integer.
  '0x10',
  '1e1',
  '%2016',
  '%2B16',
  '16.0',
  '0o20',
];
const BOOLEAN_JUNK = ['maybe', '2', '', 'yes'];

/** Strings a schema may well admit but that must never break anything further down. */
export const HOSTILE_STRINGS: string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  encodeURIComponent('żółw 😀 ﬁ'),
  encodeURIComponent("' or 1=1 --"),
  encodeURIComponent('\\'),
  encodeURIComponent('%_'),
  encodeURIComponent('<&>'),
  'x'.repeat(199),
];

/** Query strings (without "?") that break the declared query parameters, each marked as to be refused. */
export function queryCases(operation: Operation): Array<{ query: string; expect: Expectation }> {
  const params = (operation.spec.parameters ?? []).filter((p) => p.in === 'query');
  const declared = params.length > 0;
  // additionalProperties: false on every query schema: an unknown key is refused where a query is declared.
  const unknown = declared ? 'reject' : 'survive';
  const cases: Array<{ query: string; expect: Expectation }> = [
    { query: 'zzz=1', expect: unknown },
    { query: 'zzz', expect: unknown },
    { query: 'a[b]=1', expect: unknown },
    { query: '__proto__=1', expect: unknown },
    { query: 'constructor[prototype][polluted]=1', expect: unknown },
    { query: '=&&&=', expect: 'survive' },
    { query: '%=%', expect: 'survive' },
    { query: `${'k'.repeat(3000)}=${'v'.repeat(3000)}`, expect: unknown },
  ];
  for (const { name, schema } of params) {
    const reject = (value: string) => cases.push({ query: `${name}=${value}`, expect: 'reject' });
    const types = typesOf(schema);
    const allowed = enumOf(schema);
    if (types.has('integer') || types.has('number')) {
      INTEGER_JUNK.forEach(reject);
      if (schema.minimum !== undefined) reject(String(schema.minimum - 1));
      if (schema.maximum !== undefined) reject(String(schema.maximum + 1));
      cases.push({ query: `${name}=1&${name}=2`, expect: 'reject' });
    } else if (types.has('boolean')) {
      BOOLEAN_JUNK.forEach(reject);
      cases.push({ query: `${name}=true&${name}=false`, expect: 'reject' });
    } else if (types.has('array')) {
      const item = schema.items ?? {};
      if (item.pattern && !new RegExp(item.pattern, 'u').test(PATTERN_BREAKER))
        reject(encodeURIComponent(PATTERN_BREAKER));
      if (item.maxLength !== undefined) reject(`a:${'x'.repeat(item.maxLength + 1)}`);
      if (schema.maxItems !== undefined)
        cases.push({
          query: Array.from({ length: schema.maxItems + 1 }, (_, i) => `${name}=a:${i}`).join('&'),
          expect: 'reject',
        });
      for (const hostile of HOSTILE_STRINGS)
        cases.push(
          { query: `${name}=a:${hostile}`, expect: 'survive' },
          { query: `${name}=${hostile}`, expect: 'survive' },
        );
    } else if (types.has('string')) {
      if (allowed) reject('bogus-value');
      else {
        if (schema.minLength) reject('');
        if (schema.maxLength !== undefined) reject('x'.repeat(schema.maxLength + 1));
        if (schema.pattern && !new RegExp(schema.pattern, 'u').test(PATTERN_BREAKER))
          reject(encodeURIComponent(PATTERN_BREAKER));
        for (const hostile of HOSTILE_STRINGS) cases.push({ query: `${name}=${hostile}`, expect: 'survive' });
      }
      cases.push({ query: `${name}=a&${name}=b`, expect: 'reject' });
    }
  }
  return cases;
}

/** Bodies that are not JSON at all, sent as application/json. */
export const NOT_JSON: string[] = [
  '{',
  'not json',
  '{"a":1,}',
  "{'a':1}",
  '[1,2',
  'NaN',
  '\u0000',
  '\ufeff{}',
  '{"a":"\\ud800"',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

/** Whole JSON documents of every type the body schema does not admit at its root. */
export function wrongRootBodies(schema: JsonSchema): string[] {
  const admitted = typesOf(schema);
  const candidates: Array<[string, string]> = [
    ['null', 'null'],
    ['number', '42'],
    ['string', '"text"'],
    ['boolean', 'true'],
    ['array', '[]'],
    ['array', '[{"a":1}]'],
    ['object', '{}'],
  ];
  return candidates.filter(([type]) => !admitted.has(type)).map(([, body]) => body);
}

/** A nested array/object chain far deeper than any real input, as a whole body. */
export function deeplyNestedBody(depth: number): string {
  // Built as text: JSON.stringify itself would run out of stack at this depth.
  return `{"junk":${'[{"deeper":'.repeat(depth)}1${'}]'.repeat(depth)}}`;
}
