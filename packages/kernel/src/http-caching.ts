import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Cache-Control of the route's successful responses, e.g. `public, max-age=60` for a public
     * read. Without it a response is `no-store`; errors are `no-store` whatever the route says.
     */
    cacheControl?: string;
  }
}

/** What a response says about caching unless its route declares otherwise. */
export const NO_STORE = 'no-store';

const ENTITY_TAG = /(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

/** The opaque part of an entity tag: `W/"abc"` and `"abc"` -> `abc`; undefined for anything else. */
function opaqueTag(etag: string): string | undefined {
  return /^(?:W\/)?"([^"]*)"$/.exec(etag.trim())?.[1];
}

/**
 * Whether an If-None-Match header matches a representation's entity tag, by the weak comparison
 * RFC 9110 prescribes for it: `*`, or any tag of the list whose opaque part equals the current one,
 * with or without `W/` on either side.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const current = opaqueTag(etag);
  if (current === undefined) return false;
  for (const [, opaque] of header.matchAll(ENTITY_TAG)) if (opaque === current) return true;
  return false;
}

/**
 * Caching for every route of the app: `X-Content-Type-Options: nosniff` on every response, the
 * route's `config.cacheControl` (or `no-store`) as Cache-Control, and a 304 for a GET or HEAD whose
 * If-None-Match matches the ETag the route set. Errors set their own headers (see sendProblem).
 */
export function registerHttpCaching(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', request.routeOptions.config.cacheControl ?? NO_STORE);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const etag = reply.getHeader('etag');
    if (
      typeof etag === 'string' &&
      reply.statusCode === 200 &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      ifNoneMatchMatches(request.headers['if-none-match'], etag)
    ) {
      reply.code(304).removeHeader('content-type');
      done(null, '');
      return;
    }
    done(null, payload);
  });
}
