import type { FastifyInstance, RouteOptions } from 'fastify';
import { isStaffGuard } from './auth.js';
import { ProblemSchema } from './problem.js';

/** The OpenAPI security scheme of the staff API token; routes behind staffGuard require it. */
export const STAFF_SECURITY_SCHEME = 'staffToken';

const REFUSED = { ...ProblemSchema, description: 'The request was refused (problem+json)' };
const NEEDS_STAFF_TOKEN = {
  ...ProblemSchema,
  description: 'No valid staff token was presented (WWW-Authenticate: Bearer)',
};

const ROUTE_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

/** A stable operationId: a lower-case letter, then letters and digits (listProducts, adminCreateProduct). */
const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;

function behindStaffGuard(route: RouteOptions): boolean {
  return ROUTE_HOOKS.some((name) => [route[name] ?? []].flat().some(isStaffGuard));
}

/**
 * Checks and completes every route's contract as it is registered, so no service can ship an
 * undocumented operation: the route must declare a unique `schema.operationId` (registration throws
 * otherwise); its `security` follows from whether a staff guard runs before it (the staff token, or
 * `[]` for a public route); a guarded route documents its 401; a route that documents no 4xx answer
 * gets the generic one, since any request can be refused with a problem.
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

    const guarded = behindStaffGuard(route);
    const declared = schema.security;
    const claimsSecurity = declared !== undefined && declared.length > 0;
    if (declared !== undefined && claimsSecurity !== guarded) {
      throw new Error(
        `${name}: schema.security says ${guarded ? 'public' : 'secured'}, but the route ${guarded ? 'runs' : 'has no'} staff guard`,
      );
    }
    schema.security = guarded ? [{ [STAFF_SECURITY_SCHEME]: [] }] : [];

    const response = (schema.response ??= {}) as Record<string, unknown>;
    if (guarded) response[401] ??= NEEDS_STAFF_TOKEN;
    if (!Object.keys(response).some((status) => status.startsWith('4'))) response['4xx'] = REFUSED;
  });
}
