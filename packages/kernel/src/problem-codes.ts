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
  403: ['forbidden'],
  413: ['body_too_large'],
  415: ['invalid_media_type'],
  503: ['unavailable', 'shutting_down'],
};

/** Statuses whose kernel codes every operation may answer, documented or not. */
const ALWAYS = ['413', '415'];

const DESCRIPTIONS: Record<string, string> = {
  400: 'The request is malformed or breaks its schema',
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
  const schema = Type.Object(
    {
      ...ProblemSchema.properties,
      code: Type.Unsafe<string>({
        type: 'string',
        enum: sorted,
        description: 'A stable, machine-readable name of the problem',
      }),
    },
    { additionalProperties: true, description: `${description} (problem+json; code: ${sorted.join(', ')})` },
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
  options: { readsInput: boolean; secured: boolean },
): DocumentedCodes {
  const own = new Map<string, readonly string[]>();
  for (const [status, schema] of Object.entries(response)) {
    if (!/^[45]\d\d$/.test(status)) continue;
    own.set(status, (schema as ProblemResponseSchema)[CODES] ?? []);
  }
  if (options.readsInput && !own.has('400')) own.set('400', []);
  if (options.secured) {
    if (!own.has('401')) own.set('401', []);
    if (!own.has('403')) own.set('403', []);
  }
  for (const status of ALWAYS) if (!own.has(status)) own.set(status, []);
  const documented: DocumentedCodes = new Map();
  for (const [status, codes] of own) {
    const all = [...codes, ...(KERNEL_PROBLEM_CODES[status] ?? [])];
    // A status without codes of its own or the kernel's stays documented as it was declared.
    if (all.length === 0) continue;
    response[status] = problemSchema(DESCRIPTIONS[status] ?? 'Refused', all);
    documented.set(status, new Set(all));
  }
  const other = Object.entries(KERNEL_PROBLEM_CODES)
    .filter(([status]) => status.startsWith('4') && !documented.has(status))
    .flatMap(([, codes]) => codes);
  if (!Object.keys(response).some((status) => status.startsWith('4') && status !== '4xx')) {
    response['4xx'] = problemSchema('The request was refused', other);
  }
  documented.set('4xx', new Set(other));
  return documented;
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
