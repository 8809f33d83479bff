import proxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { WorkerProcess } from './worker-process.js';

/** A store as the gateway sees it: whether it serves, and a worker to send a request to. */
export interface RoutedStore {
  readonly id: string;
  readonly enabled: boolean;
  pick(): WorkerProcess | undefined;
}

/** How the gateway finds stores: by id (X-Store, /s/<id>/, the store cookie) or by host name. */
export interface StoreDirectory {
  byId(id: string): RoutedStore | undefined;
  byHost(host: string): RoutedStore | undefined;
}

export interface GatewayOptions {
  stores: StoreDirectory;
  /** Cap on a request's time upstream (a slow worker is answered 504). */
  upstreamTimeoutMs?: number;
  logger?: boolean;
}

/** The cookie that keeps a browser on the store it opened through /s/<id>/ (local development). */
export const STORE_COOKIE = 'shopstack_store';

declare module 'fastify' {
  interface FastifyRequest {
    storeWorker?: WorkerProcess;
    storeId?: string;
  }
}

interface Answerable {
  code(status: number): this;
  type(contentType: string): this;
  send(payload: unknown): this;
}

function problem<R extends Answerable>(
  reply: R,
  status: number,
  code: string,
  title: string,
  detail: string,
): R {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `https://shopstack.dev/problems/${code}`, title, status, detail, code });
}

type ReplyOptions = NonNullable<FastifyHttpProxyOptions['replyOptions']>;

function cookieStore(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const match = header.match(new RegExp(`(?:^|;\\s*)${STORE_COOKIE}=([a-z0-9-]{1,40})(?:;|$)`));
  return match?.[1];
}

/** The host name a request was sent to, without its port, in lower case. */
function hostName(request: FastifyRequest): string {
  const host = request.headers.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name.toLowerCase();
}

/**
 * The platform's edge: finds the store a request is for (its Host header; for local development
 * also a `/s/<store>/` prefix, an `X-Store` header or the cookie the prefix sets), sends it to a
 * ready worker of the store's live slot (round robin) through @fastify/http-proxy, and sets the
 * X-Forwarded-* headers. A store with no ready worker is answered 503, never waited on.
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // The gateway only passes bodies on: their limit is each store's own.
    bodyLimit: 64 * 1024 * 1024,
    return503OnClosing: true,
    // `/s/<store>?q` is the store's root with a query, like `/s/<store>/?q`.
    rewriteUrl: (request) => (request.url ?? '/').replace(/^\/s\/([a-z0-9-]+)(?=\?|$)/, '/s/$1/'),
    forceCloseConnections: 'idle',
  });
  app.decorateRequest('storeWorker', undefined);
  app.decorateRequest('storeId', undefined);

  const route = async (request: FastifyRequest, reply: FastifyReply) => {
    const fromPrefix = (request.params as { store?: string }).store;
    const header = request.headers['x-store'];
    const id = fromPrefix ?? (typeof header === 'string' ? header : undefined);
    const host = hostName(request);
    const store =
      id !== undefined ? options.stores.byId(id) : (options.stores.byHost(host) ?? byCookie(request));
    if (!store) {
      return problem(
        reply,
        404,
        'store_not_found',
        'No such store',
        id !== undefined ? `No store "${id}" on this platform.` : `No store answers for the host ${host}.`,
      );
    }
    if (!store.enabled)
      return problem(reply, 503, 'store_disabled', 'Store disabled', `The store "${store.id}" is disabled.`);
    const worker = store.pick();
    if (!worker) {
      reply.header('retry-after', '1');
      return problem(
        reply,
        503,
        'store_unavailable',
        'Store unavailable',
        `The store "${store.id}" has no worker ready; try again shortly.`,
      );
    }
    worker.inFlight++;
    reply.raw.once('close', () => worker.requestDone());
    request.storeWorker = worker;
    request.storeId = store.id;
    if (fromPrefix !== undefined)
      reply.header('set-cookie', `${STORE_COOKIE}=${store.id}; Path=/; SameSite=Lax; HttpOnly`);
  };
  const byCookie = (request: FastifyRequest) => {
    const id = cookieStore(request);
    return id ? options.stores.byId(id) : undefined;
  };

  const replyOptions = (prefixed: boolean): ReplyOptions => ({
    getUpstream: (request) => request.storeWorker!.origin,
    rewriteRequestHeaders: (request, headers) => {
      const forwardedFor = headers['x-forwarded-for'];
      return {
        ...headers,
        'x-forwarded-for': forwardedFor ? `${forwardedFor}, ${request.ip}` : request.ip,
        'x-forwarded-host': request.headers.host ?? '',
        'x-forwarded-proto': request.protocol,
        'x-store': request.storeId!,
        // Only the gateway says under which prefix a store was reached.
        'x-forwarded-prefix': prefixed ? `/s/${request.storeId}` : undefined,
      };
    },
    onError: (reply, { error }: { error: Error & { code?: string } }) => {
      const timedOut = [
        'FST_REPLY_FROM_GATEWAY_TIMEOUT',
        'UND_ERR_HEADERS_TIMEOUT',
        'UND_ERR_BODY_TIMEOUT',
      ].includes(error.code ?? '');
      problem(
        reply,
        timedOut ? 504 : 502,
        timedOut ? 'upstream_timeout' : 'upstream_failed',
        timedOut ? 'The store took too long' : 'The store failed to answer',
        `The store "${reply.request.storeId}" did not answer (${error.code ?? error.message}).`,
      );
    },
  });
  const common = {
    // No fixed upstream: each request's goes by getUpstream (a worker of the store's live slot).
    upstream: '',
    preHandler: route,
    undici: {
      headersTimeout: options.upstreamTimeoutMs ?? 60_000,
      bodyTimeout: options.upstreamTimeoutMs ?? 60_000,
    },
    internalRewriteLocationHeader: false,
    // A worker's 503 is the answer: resending it (reply-from retries a GET ten times) only keeps the client waiting.
    retryMethods: [],
  };
  await app.register(proxy, { ...common, prefix: '/s/:store', replyOptions: replyOptions(true) });
  await app.register(proxy, { ...common, replyOptions: replyOptions(false) });
  return app;
}
