import type { BadRequest } from './bad-requests.js';

/** An answer to one malformed request, as the sweep judges it. */
export interface SweepAnswer {
  request: BadRequest;
  status: number;
  contentType: string;
  /** The x-request-id header of the answer. */
  requestId: string;
  body: string;
}

/**
 * What is wrong with an answer, or null: the status against the expectation, then the problem
 * document (RFC 9457 members, a machine-readable code, the request id, the field of a validation error).
 */
export function problemFault({ request, status, contentType, requestId, body }: SweepAnswer): string | null {
  if (status >= 500) return `answered ${status}`;
  if (request.expect === 'reject' && status < 400) return `answered ${status}, not a 4xx`;
  if (request.status !== undefined && status !== request.status)
    return `answered ${status}, not ${request.status}`;
  if (status < 400) return null;
  if (!/^application\/problem\+json/.test(contentType)) return `a ${status} with content type ${contentType}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  for (const member of ['type', 'title', 'detail'] as const) {
    if (typeof problem[member] !== 'string' || !(problem[member] as string).length)
      return `a ${status} problem without ${member}`;
  }
  if (problem.status !== status) return `a ${status} problem saying status ${String(problem.status)}`;
  if (typeof problem.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(problem.code))
    return `a ${status} problem without a machine-readable code`;
  if (!requestId || problem.requestId !== requestId) return `a ${status} problem without its request id`;
  if (String(problem.type).endsWith('/validation') && typeof problem.field !== 'string')
    return 'a validation problem without field';
  return null;
}
