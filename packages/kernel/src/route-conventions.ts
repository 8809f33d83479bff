import type { FastifyInstance, RouteOptions } from 'fastify';
import { isAccessGuard } from './auth.js';
import { IDEMPOTENCY_PROBLEMS, IdempotencyKeyHeaders, isIdempotencyHook } from './idempotency.js';
import { completeProblemResponses, type DocumentedCodes } from './problem-codes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The problem codes the route documents, by status (set by the route conventions). */
    problemCodes?: DocumentedCodes;
  }
}

/** The OpenAPI security scheme of bearer tokens (access tokens, service tokens); guarded routes require it. */
export const BEARER_SECURITY_SCHEME = 'bearerAuth';

const ROUTE_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

/** A stable operationId: a lower-case letter, then letters and digits (listProducts, adminCreateProduct). */
const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;

function behindAccessGuard(route: RouteOptions): boolean {
  return ROUTE_HOOKS.some((name) => [route[name] ?? []].flat().some(isAccessGuard));
}

function keyedByIdempotency(route: RouteOptions): boolean {
  return [route.preHandler ?? []].flat().some(isIdempotencyHook);
}

/** Adds the Idempotency-Key header to a route's header schema (a TypeBox or plain JSON object schema). */
function withIdempotencyHeader(headers: unknown): unknown {
  if (!headers) return IdempotencyKeyHeaders;
  const object = headers as { properties?: Record<string, unknown> };
  return { ...object, properties: { ...object.properties, ...IdempotencyKeyHeaders.properties } };
}

/**
 * Checks and completes every route's contract as it is registered, so no service can ship an
 * undocumented operation: the route must declare a unique `schema.operationId` (registration throws
 * otherwise); its `security` follows from whether an access guard runs before it (a bearer token,
 * or what the route declares, `[]` by default); every problem answer documents the codes it
 * may carry (the route's own and the kernel's), a secured route documents its 401 and 403, and a
 * route that reads input its 400; see problem-codes.ts.
 */
export function enforceRouteConventions(app: FastifyInstance): void {
  const operationIds = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    // Fastify adds a HEAD twin to every GET route; it shares the GET's schema and documentation.
    if (methods.every((method) => method === 'HEAD')) return;
    const name = `${methods.join(',')} ${route.url}`;
    const schema = (route.schema ??= {});
    if (schema.hide) return;

    const operationId = schema.operationId;
    if (!operationId || !OPERATION_ID.test(operationId)) {
      throw new Error(
        `${name}: every route declares schema.operationId, a stable camelCase name such as listProducts (got ${JSON.stringify(operationId)})`,
      );
    }
    const taken = operationIds.get(operationId);
    if (taken) throw new Error(`${name}: operationId ${operationId} is already used by ${taken}`);
    operationIds.set(operationId, name);

    // A guarded route needs a token; an unguarded one may still say that a token changes its answer
    // (a cart a customer owns, say), and the service layer decides.
    const guarded = behindAccessGuard(route);
    const declared = schema.security;
    if (guarded && declared !== undefined && declared.length === 0) {
      throw new Error(`${name}: schema.security says public, but the route runs an access guard`);
    }
    schema.security = guarded ? [{ [BEARER_SECURITY_SCHEME]: [] }] : (declared ?? []);

    const idempotent = keyedByIdempotency(route);
    if (idempotent) schema.headers = withIdempotencyHeader(schema.headers);

    const response = (schema.response ??= {}) as Record<string, unknown>;
    // Any method but GET and HEAD may carry a body, whether or not the route reads one.
    const readsBody = methods.some((method) => method !== 'GET' && method !== 'HEAD');
    const readsInput = readsBody || Boolean(schema.querystring || schema.params || schema.headers);
    const problemCodes = completeProblemResponses(response, {
      readsBody,
      readsInput,
      secured: schema.security.length > 0,
      ...(idempotent ? { extra: IDEMPOTENCY_PROBLEMS } : {}),
    });
    route.config = { ...route.config, problemCodes };
  });
}
