import { Type, type TSchema } from '@sinclair/typebox';
import { ProblemSchema } from './problem.js';

/**
 * Codes the kernel itself answers with, by status: a request it cannot read (400, 413, 415), a
 * token it refuses (401), an actor a rule refuses (403), a service that cannot answer (503).
 * Every operation may answer these on top of its own.
 */
export const KERNEL_PROBLEM_CODES: Readonly<Record<string, readonly string[]>> = {
  400: ['validation', 'invalid_utf8', 'forbidden_key', 'empty_json_body', 'invalid_json_body'],
  401: ['authentication_required', 'invalid_token', 'token_expired'],
  403: ['forbidden', 'service_not_permitted'],
  413: ['body_too_large'],
  415: ['invalid_media_type'],
  503: ['unavailable', 'shutting_down'],
};

const DESCRIPTIONS: Record<string, string> = {
  400: 'The request is malformed or breaks its schema',
  402: 'The payment did not go through (a declined card, say)',
  401: 'No valid bearer token was presented (WWW-Authenticate: Bearer)',
  403: 'The token is valid, but its holder may not do this',
  404: 'Not found',
  409: 'The request conflicts with the current state',
  413: 'The body is too large',
  415: 'The body has a media type this operation does not take',
  422: 'The request is well-formed but breaks a rule of the shop',
  429: 'Too many requests; try again later',
  503: 'A service this one needs cannot answer now; try again later (Retry-After)',
};

const CODES = Symbol('shopstack.problemCodes');

type ProblemResponseSchema = TSchema & { [CODES]?: readonly string[] };

/** A problem response whose `code` is one of the given codes, for the OpenAPI document. */
function problemSchema(description: string, codes: readonly string[]): ProblemResponseSchema {
  const sorted = [...new Set(codes)].sort();
  const code =
    sorted.length > 0
      ? Type.Unsafe<string>({
          type: 'string',
          enum: sorted,
          description: 'A stable, machine-readable name of the problem',
        })
      : ProblemSchema.properties.code;
  const listed = sorted.length > 0 ? `; code: ${sorted.join(', ')}` : '';
  const schema = Type.Object(
    { ...ProblemSchema.properties, code },
    { additionalProperties: true, description: `${description} (problem+json${listed})` },
  ) as ProblemResponseSchema;
  Object.defineProperty(schema, CODES, { value: sorted, enumerable: false });
  return schema;
}

/**
 * The problem answers of one operation, each status with the codes the operation raises itself
 * (`{ 404: ['cart_not_found'], 409: ['discount_exhausted'] }`). The kernel adds its own codes of
 * each status (and 400, 401, 403 where the route can answer them) as the route registers.
 */
export function problemResponses(
  spec: Readonly<Record<number, readonly string[]>>,
): Record<number, ProblemResponseSchema> {
  return Object.fromEntries(
    Object.entries(spec).map(([status, codes]) => [
      status,
      problemSchema(DESCRIPTIONS[status] ?? 'Refused', codes),
    ]),
  );
}

/** The codes a route documents, by status ('4xx' for any other client error); what the check compares with. */
export type DocumentedCodes = Map<string, ReadonlySet<string>>;

/**
 * Completes a route's problem responses: each documented status gets the kernel's codes of that
 * status; 400 is documented when the route reads a request part, 401 and 403 when it is secured;
 * every other refusal falls under '4xx'. Returns the codes per status, for the test-mode check.
 */
export function completeProblemResponses(
  response: Record<string, unknown>,
  options: {
    readsBody: boolean;
    readsInput: boolean;
    secured: boolean;
    /** Codes a shared mechanism of the route adds (Idempotency-Key, say), by status. */
    extra?: Readonly<Record<number, readonly string[]>>;
  },
): DocumentedCodes {
  const own = new Map<string, readonly string[]>();
  for (const [status, schema] of Object.entries(response)) {
    // Only problem answers: a health check's 503, say, answers a document of its own.
    if (/^4\d\d$|^503$/.test(status) && isProblemSchema(schema)) {
      own.set(status, (schema as ProblemResponseSchema)[CODES] ?? []);
    }
  }
  const add = (status: string) => {
    if (!own.has(status)) own.set(status, []);
  };
  for (const [status, codes] of Object.entries(options.extra ?? {})) {
    own.set(status, [...(own.get(status) ?? []), ...codes]);
  }
  if (options.readsInput) add('400');
  if (options.readsBody) ['413', '415'].forEach(add);
  if (options.secured) ['401', '403'].forEach(add);
  const documented: DocumentedCodes = new Map();
  for (const [status, codes] of own) {
    const all = [...codes, ...(KERNEL_PROBLEM_CODES[status] ?? [])];
    response[status] = problemSchema(DESCRIPTIONS[status] ?? 'Refused', all);
    documented.set(status, new Set(all));
  }
  // Whatever else the kernel may refuse (a bad request to a route without input, say) is '4xx'.
  const other = Object.entries(KERNEL_PROBLEM_CODES)
    .filter(([status]) => status.startsWith('4') && !documented.has(status))
    .flatMap(([, codes]) => codes);
  response['4xx'] = problemSchema('The request was refused', other);
  documented.set('4xx', new Set(other));
  return documented;
}

function isProblemSchema(schema: unknown): boolean {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return Boolean(properties && 'type' in properties && 'title' in properties && 'status' in properties);
}

/**
 * Whether a problem's code is documented for the route that answered it. Server errors and
 * answers without a route (404 of an unknown path, 405) are not checked.
 */
export function isDocumentedProblem(
  documented: DocumentedCodes | undefined,
  status: number,
  code: string,
): boolean {
  if (!documented || status >= 500) return true;
  const codes = documented.get(String(status)) ?? documented.get('4xx');
  return codes?.has(code) ?? false;
}
