import { Agent, RetryAgent, request, type Dispatcher } from 'undici';
import { timeLeft, type RequestContext } from './context.js';
import type { DomainError } from './errors.js';
import {
  Conflict,
  Forbidden,
  InvalidInput,
  InvalidState,
  NotFound,
  PaymentRequired,
  UpstreamUnavailable,
} from './errors.js';
import { SERVICE_NOT_PERMITTED } from './auth.js';
import { defaultProblemCode, PROBLEM_BASE } from './problem.js';

const DEFAULT_TIMEOUT_MS = 5_000;

export interface ServiceClientOptions {
  /** The service called, e.g. `catalogue`: named in errors and logs. */
  service: string;
  /** Base URL of the process serving it, e.g. http://catalogue:8080 */
  baseUrl: string;
  /** The credential of one call (a service token carrying the call's actor), sent as a bearer token. */
  credential?: (ctx: RequestContext) => Promise<string>;
  /** Deadline of one call, reading the answer included. */
  timeoutMs?: number;
  /** Further attempts of an idempotent call after a network failure or a 502/503/504 (default 2). */
  retries?: number;
}

export interface ServiceCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. /api/catalogue/products/abc */
  path: string;
  body?: unknown;
  /** Headers of this call's own (a guest's cart token, say); they cannot replace the kernel's. */
  headers?: Record<string, string>;
  /**
   * Whether sending the call twice has the effect of sending it once. GET, PUT and DELETE are;
   * a POST is only when the callee makes it so (a reservation keyed by its order reference, say).
   * Only idempotent calls are retried.
   */
  idempotent?: boolean;
}

interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  code?: string;
  [extra: string]: unknown;
}

type ErrorMaker = (message: string, problem: ProblemBody, details: Record<string, unknown>) => DomainError;

const KINDS: Record<string, ErrorMaker> = {
  'not-found': (m, _p, d) => new NotFound(m, d),
  conflict: (m, _p, d) => new Conflict(m, d),
  'invalid-state': (m, _p, d) => new InvalidState(m, d),
  forbidden: (m, _p, d) => new Forbidden(m, d),
  'invalid-input': (m, p, d) => new InvalidInput(m, p.field, d),
  'payment-required': (m, _p, d) => new PaymentRequired(m, d),
  validation: (m, p, d) => new InvalidInput(m, p.field, d),
};

const KIND_OF_STATUS: Record<number, string> = {
  400: 'validation',
  402: 'payment-required',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  422: 'invalid-input',
};

/**
 * The client one service uses to call another over HTTP: JSON in and out, the caller's request id
 * passed on, a deadline per call, retries for idempotent calls only, and answers turned back into
 * the errors the callee raised (404 -> NotFound, 409 -> Conflict or InvalidState, ...), so callers
 * handle a remote service exactly as an in-process one. A callee that cannot be reached, fails
 * (5xx), times out or refuses this service's own credential (401) raises UpstreamUnavailable: the
 * shopper gets a 503 with Retry-After, never a 500 and never a 401 of their own.
 */
export class ServiceClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly agent: Agent;
  private readonly retrying: Dispatcher;

  constructor(private readonly options: ServiceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.agent = new Agent({ keepAliveTimeout: 10_000 });
    this.retrying = new RetryAgent(this.agent, {
      maxRetries: options.retries ?? 2,
      minTimeout: 100,
      maxTimeout: 1_000,
      methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'PATCH'],
      statusCodes: [502, 503, 504],
    });
  }

  /** Sends one call and returns its JSON answer, or throws the callee's error. */
  async call<T>(ctx: RequestContext, call: ServiceCall): Promise<T> {
    const { service } = this.options;
    const url = `${this.baseUrl}${call.path}`;
    const headers: Record<string, string> = {
      ...call.headers,
      accept: 'application/json',
      'x-request-id': ctx.requestId,
    };
    if (ctx.trace) {
      headers.traceparent = ctx.trace.traceparent;
      if (ctx.trace.tracestate) headers.tracestate = ctx.trace.tracestate;
    }
    // Nobody waits past the caller's own deadline: a call that cannot finish in time is not sent.
    const budget = Math.min(this.timeoutMs, timeLeft(ctx));
    if (budget <= 0)
      throw new UpstreamUnavailable(service, `${call.method} ${call.path}: the deadline passed`);
    if (this.options.credential) headers.authorization = `Bearer ${await this.options.credential(ctx)}`;
    // A POST without a body must not claim to be JSON: an empty JSON body is refused.
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const idempotent =
      call.idempotent ?? (call.method === 'GET' || call.method === 'PUT' || call.method === 'DELETE');
    const unavailable = (reason: string, status?: number, cause?: unknown) =>
      new UpstreamUnavailable(service, `${call.method} ${url} ${reason}`, status, cause);

    let status: number;
    let text: string;
    try {
      const response = await request(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        dispatcher: idempotent ? this.retrying : this.agent,
        // The deadline covers the retries and reading the answer, not just the headers.
        signal: AbortSignal.timeout(budget),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      throw unavailable(
        timedOut ? `got no answer within ${Math.round(budget)} ms` : `failed: ${(err as Error).message}`,
        undefined,
        err,
      );
    }
    if (status >= 200 && status < 300) {
      try {
        return (text === '' ? undefined : JSON.parse(text)) as T;
      } catch (err) {
        // A success without JSON is not the service talking (a proxy's page, say).
        throw unavailable(`answered ${status} without JSON`, status, err);
      }
    }
    if (status === 401) {
      // The callee refused this service's credential: a configuration fault here, not the shopper's.
      ctx.log.error({ service, status }, 'a service refused the credential of this one');
      throw unavailable('refused this service credential (401)', status);
    }
    if (status >= 500 || status === 429) throw unavailable(`answered ${status}`, status);
    let problem: ProblemBody = {};
    try {
      problem = JSON.parse(text) as ProblemBody;
    } catch {
      // Not a problem document (a proxy's error page, say): the status alone decides.
    }
    if (status === 403 && problem.code === SERVICE_NOT_PERMITTED) {
      // Asked for more than this service's credential allows: a deployment fault, not the shopper's.
      ctx.log.error({ service, status, detail: problem.detail }, 'a service refused what this one asked');
      throw unavailable(`refused this service's scope (403): ${problem.detail ?? ''}`, status);
    }
    return Promise.reject(errorFromProblem(status, problem, () => unavailable(`answered ${status}`, status)));
  }

  /** Closes the connections this client keeps open. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Turns a problem+json answer back into the domain error the callee raised. */
function errorFromProblem(status: number, problem: ProblemBody, otherwise: () => Error): Error {
  const { type, title, status: _status, detail, field: _field, requestId: _requestId, ...rest } = problem;
  // Every problem carries a code; only one the error named itself belongs to its details.
  const { code, ...generic } = rest;
  const details = type && code !== defaultProblemCode(type) ? rest : generic;
  const kind = type?.startsWith(PROBLEM_BASE) ? type.slice(PROBLEM_BASE.length) : undefined;
  const make = (kind && KINDS[kind]) || KINDS[KIND_OF_STATUS[status] ?? ''];
  return make ? make(detail ?? title ?? `HTTP ${status}`, problem, details) : otherwise();
}
