import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, InvalidParameter, TooManyRequests, UpstreamUnavailable } from './errors.js';

export const PROBLEM_BASE = 'https://shopstack.dev/problems/';

/** RFC 9457 problem details, as every error response of ShopStack carries them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String({ description: 'A stable, machine-readable name of the problem, e.g. not_found' }),
    instance: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Machine-readable name; derived from `type` when absent (`.../not-found` -> `not_found`). */
  code?: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

const domainStatus: Record<DomainError['kind'], { status: number; title: string }> = {
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  'invalid-state': { status: 409, title: 'Invalid State' },
  forbidden: { status: 403, title: 'Forbidden' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'invalid-input': { status: 422, title: 'Unprocessable Content' },
  'invalid-parameter': { status: 400, title: 'Bad Request' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'payment-required': { status: 402, title: 'Payment Required' },
  'unsupported-media': { status: 415, title: 'Unsupported Media Type' },
  unavailable: { status: 503, title: 'Service Unavailable' },
};

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldOf(issue: AjvIssue, context: string | undefined): string {
  const base = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra =
    (issue.params.missingProperty as string | undefined) ??
    (issue.params.additionalProperty as string | undefined);
  const local = [base, extra].filter(Boolean).join('.');
  return local || context || '(root)';
}

function describe(issue: AjvIssue): string {
  if (issue.keyword === 'additionalProperties') return 'is not allowed';
  if (issue.keyword === 'required') return 'is required';
  return issue.message ?? 'is invalid';
}

/** Turns any error into a problem+json response; unexpected errors become a 500 without internals. */
export function problemFromError(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof InvalidParameter) {
    return {
      // Details (a precise code, the refused key, ...) first: none can overwrite a standard member.
      ...error.details,
      type: PROBLEM_BASE + 'validation',
      title: 'Bad Request',
      status: 400,
      detail: error.message,
      field: error.field,
      errors: [{ field: error.field, message: error.reason }],
    };
  }
  if (error instanceof DomainError) {
    if (error instanceof UpstreamUnavailable)
      request.log.warn(
        { service: error.service, reason: error.reason },
        'a service this one needs is unavailable',
      );
    const { status, title } = domainStatus[error.kind];
    // Details come first so that none of them can overwrite the standard members.
    const problem: Problem = {
      ...error.details,
      type: PROBLEM_BASE + error.kind,
      title,
      status,
      detail: error.message,
      // A domain error may name its problem more precisely than its kind (e.g. reservation_released).
      code:
        typeof error.details.code === 'string'
          ? error.details.code
          : defaultProblemCode(PROBLEM_BASE + error.kind),
    };
    if ('field' in error && typeof error.field === 'string') problem.field = error.field;
    if (error instanceof TooManyRequests) problem.retryAfter = error.retryAfterSeconds;
    return problem;
  }
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) {
    const errors = fe.validation.map((issue) => ({
      field: fieldOf(issue, fe.validationContext),
      message: describe(issue),
    }));
    const first = errors[0]!;
    const part = fe.validationContext ?? 'request';
    return {
      type: PROBLEM_BASE + 'validation',
      title: 'Bad Request',
      status: 400,
      // A problem with the whole part names it once: "body must be object", not "body body must be object".
      detail: first.field === part ? `${part} ${first.message}` : `${part} ${first.field} ${first.message}`,
      field: first.field,
      errors,
    };
  }
  const status =
    typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'unhandled error');
    return {
      type: PROBLEM_BASE + 'internal',
      title: 'Internal Server Error',
      status,
      detail: 'An unexpected error occurred.',
    };
  }
  const slug = (fe.code ?? 'bad-request')
    .toLowerCase()
    .replace(/^fst_err_(ctp_)?/, '')
    .replaceAll('_', '-');
  return { type: PROBLEM_BASE + slug, title: titleFor(status), status, detail: fe.message };
}

/** The standard title of an HTTP error status. */
export function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    408: 'Request Timeout',
    409: 'Conflict',
    413: 'Content Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    402: 'Payment Required',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}

/** The code of a problem that names none of its own: `https://shopstack.dev/problems/not-found` -> `not_found`. */
export function defaultProblemCode(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1).replaceAll('-', '_');
}

/** The JSON document of a problem as it goes on the wire, with its code and the request id. */
export function problemDocument(problem: Problem, requestId: string): Problem & { code: string } {
  return { ...problem, code: problem.code ?? defaultProblemCode(problem.type), requestId };
}

/** Seconds a 503 asks the client to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 5;

/** The challenge of every 401: the staff API takes bearer tokens. */
export const BEARER_CHALLENGE = 'Bearer realm="shopstack"';

/**
 * Headers every error carries: errors are never cached, never sniffed, and a 401 names the
 * authentication scheme it wants (RFC 6750), flagging a bearer token that was presented but refused.
 */
export function problemHeaders(
  status: number,
  authorization?: string,
  retryAfterSeconds?: number,
): Record<string, string> {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  // A service that cannot answer now says when to try again (RFC 9110).
  if (status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  // A limit says how long it lasts (RFC 6585).
  if (status === 429 && retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (status === 401) {
    headers['www-authenticate'] =
      authorization && /^bearer\s+\S/i.test(authorization)
        ? `${BEARER_CHALLENGE}, error="invalid_token"`
        : BEARER_CHALLENGE;
  }
  return headers;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const { request } = reply;
  // An entity tag set before the failure described the representation, not this problem.
  if (reply.hasHeader('etag')) reply.removeHeader('etag');
  return reply
    .code(problem.status)
    .headers({
      'x-request-id': request.id,
      ...problemHeaders(
        problem.status,
        request.headers.authorization,
        typeof problem.retryAfter === 'number' ? problem.retryAfter : undefined,
      ),
    })
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send(problemDocument(problem, request.id));
}
