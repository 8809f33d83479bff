import {
  Conflict,
  defaultProblemCode,
  Forbidden,
  InvalidInput,
  InvalidState,
  NotFound,
  PROBLEM_BASE,
  Unauthorized,
  type DomainError,
  type HttpClientOptions,
  type RequestContext,
} from '@shopstack/kernel';
import type { CatalogueClient } from './client.js';
import type { ProductDetail } from './schemas/product.js';
import type { ReservationLineInput, ReservationResult } from './schemas/stock.js';

const DEFAULT_TIMEOUT_MS = 5_000;
const PREFIX = '/api/catalogue';

/** The catalogue could not be asked or did not answer sensibly (network, timeout, 5xx). */
export class CatalogueUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CatalogueUnavailable';
  }
}

interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  [extra: string]: unknown;
}

const KINDS: Record<
  string,
  (message: string, problem: ProblemBody, details: Record<string, unknown>) => DomainError
> = {
  'not-found': (m, _p, d) => new NotFound(m, d),
  conflict: (m, _p, d) => new Conflict(m, d),
  'invalid-state': (m, _p, d) => new InvalidState(m, d),
  forbidden: (m, _p, d) => new Forbidden(m, d),
  unauthorized: (m, _p, d) => new Unauthorized(m, d),
  'invalid-input': (m, p, d) => new InvalidInput(m, p.field, d),
  validation: (m, p, d) => new InvalidInput(m, p.field, d),
};

const KIND_OF_STATUS: Record<number, string> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  422: 'invalid-input',
};

/** Turns a problem+json answer back into the domain error the catalogue raised. */
function errorFromProblem(status: number, problem: ProblemBody): Error {
  const { type, title, status: _status, detail, field: _field, requestId: _requestId, ...rest } = problem;
  // Every problem carries a code; only one the error named itself belongs to its details.
  const { code, ...generic } = rest;
  const details = type && code !== defaultProblemCode(type) ? rest : generic;
  const kind = type?.startsWith(PROBLEM_BASE) ? type.slice(PROBLEM_BASE.length) : undefined;
  const make = (kind && KINDS[kind]) || KINDS[KIND_OF_STATUS[status] ?? ''];
  const message = detail ?? title ?? `HTTP ${status}`;
  return make
    ? make(message, problem, details)
    : new CatalogueUnavailable(`Catalogue answered ${status}: ${message}`, status);
}

/**
 * The catalogue over HTTP, for processes that do not host it. Same interface and same errors as
 * the in-process client: problem responses come back as NotFound, Conflict, InvalidState, ...
 */
export class HttpCatalogueClient implements CatalogueClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async getProduct(ctx: RequestContext, idOrSlug: string): Promise<ProductDetail | null> {
    try {
      return await this.request<ProductDetail>(ctx, 'GET', `/products/${encodeURIComponent(idOrSlug)}`);
    } catch (err) {
      if (err instanceof NotFound) return null;
      throw err;
    }
  }

  async reserveStock(
    ctx: RequestContext,
    orderRef: string,
    lines: ReservationLineInput[],
  ): Promise<ReservationResult> {
    return this.request<ReservationResult>(ctx, 'POST', '/reservations', { orderRef, lines });
  }

  async releaseStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.request<ReservationResult>(
      ctx,
      'POST',
      `/reservations/${encodeURIComponent(orderRef)}/release`,
    );
  }

  async commitStock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    return this.request<ReservationResult>(
      ctx,
      'POST',
      `/reservations/${encodeURIComponent(orderRef)}/commit`,
    );
  }

  private async request<T>(ctx: RequestContext, method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': ctx.requestId };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    // A POST without a body must not claim to be JSON: Fastify refuses an empty JSON body.
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.baseUrl}${PREFIX}${path}`;
    let response: Response;
    let text: string;
    try {
      // The timeout covers reading the body too, not just the headers.
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const reason =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (err as Error).message;
      throw new CatalogueUnavailable(`${method} ${url} failed: ${reason}`, undefined, { cause: err });
    }
    if (response.ok) {
      try {
        return JSON.parse(text) as T;
      } catch (err) {
        // A success without JSON is not the catalogue talking (a proxy's page, say).
        throw new CatalogueUnavailable(
          `${method} ${url} answered ${response.status} without JSON`,
          response.status,
          {
            cause: err,
          },
        );
      }
    }
    let problem: ProblemBody = {};
    try {
      problem = JSON.parse(text) as ProblemBody;
    } catch {
      // Not a problem document (a proxy's error page, say): the status alone decides.
    }
    const error = errorFromProblem(response.status, problem);
    ctx.log.debug({ method, url, status: response.status }, 'catalogue request refused');
    throw error;
  }
}
