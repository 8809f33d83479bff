import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DomainError, InvalidParameter } from './errors.js';

export const PROBLEM_BASE = 'https://shopstack.dev/problems/';

/** RFC 9457 problem details, as every error response of ShopStack carries them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
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
      type: PROBLEM_BASE + 'validation',
      title: 'Bad Request',
      status: 400,
      detail: error.message,
      field: error.field,
      errors: [{ field: error.field, message: error.reason }],
    };
  }
  if (error instanceof DomainError) {
    const { status, title } = domainStatus[error.kind];
    // Details come first so that none of them can overwrite the standard members.
    const problem: Problem = {
      ...error.details,
      type: PROBLEM_BASE + error.kind,
      title,
      status,
      detail: error.message,
    };
    if ('field' in error && typeof error.field === 'string') problem.field = error.field;
    return problem;
  }
  const fe = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe.validation) {
    const errors = fe.validation.map((issue) => ({
      field: fieldOf(issue, fe.validationContext),
      message: describe(issue),
    }));
    const first = errors[0]!;
    return {
      type: PROBLEM_BASE + 'validation',
      title: 'Bad Request',
      status: 400,
      detail: `${fe.validationContext ?? 'request'} ${first.field} ${first.message}`,
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
    .replace(/^fst_err_/, '')
    .replaceAll('_', '-');
  return { type: PROBLEM_BASE + slug, title: titleFor(status), status, detail: fe.message };
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Content Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send({ ...problem, requestId: reply.request.id });
}
