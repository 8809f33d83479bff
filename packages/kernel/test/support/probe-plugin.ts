import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, STAFF } from '../../src/auth.js';
import {
  Conflict,
  Forbidden,
  InvalidInput,
  InvalidParameter,
  InvalidState,
  NotFound,
  Unauthorized,
  UpstreamUnavailable,
} from '../../src/errors.js';
import { ProblemSchema } from '../../src/problem.js';
import { problemResponses } from '../../src/problem-codes.js';

/** The message of the unexpected error the probe throws; it must never reach a client. */
export const INTERNAL_SECRET = 'connection string postgres://admin:hunter2@db.internal/shop';

const ProbeParams = Type.Object(
  { id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) },
  { additionalProperties: false },
);
const ProbeQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), tag: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
const ProbeItem = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const ErrorKind = Type.Union(
  [
    'not-found',
    'conflict',
    'invalid-state',
    'forbidden',
    'unauthorized',
    'invalid-input',
    'invalid-parameter',
    'unavailable',
    'crash',
  ].map((k) => Type.Literal(k)),
);

const domainErrors: Record<string, () => Error> = {
  'not-found': () => new NotFound('Product p-1 does not exist.'),
  conflict: () => new Conflict('The slug is already taken.', { slug: 'red-shoe' }),
  'invalid-state': () => new InvalidState('An archived product cannot be published.'),
  forbidden: () => new Forbidden('Staff of another store cannot do this.'),
  unauthorized: () => new Unauthorized('Sign in first.'),
  'invalid-input': () => new InvalidInput('compareAtPrice must exceed price.', 'variants.0.compareAtPrice'),
  'invalid-parameter': () => new InvalidParameter('cursor', 'is not a cursor of this listing'),
  unavailable: () =>
    new UpstreamUnavailable('catalogue', `GET http://catalogue/x failed: ${INTERNAL_SECRET}`),
  crash: () => new Error(INTERNAL_SECRET),
};

/** Routes that exercise the kernel: validation of every request part, domain errors and an access guard. */
export function probePlugin(): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/probe/:id',
      {
        schema: {
          operationId: 'probeEcho',
          tags: ['probe'],
          summary: 'Echo a path parameter and query',
          params: ProbeParams,
          querystring: ProbeQuery,
          response: { 200: Type.Object({ id: Type.String(), limit: Type.Integer() }), 400: ProblemSchema },
        },
      },
      async (request) => ({ id: request.params.id, limit: request.query.limit ?? 10 }),
    );

    app.post(
      '/probe/items',
      {
        schema: {
          operationId: 'probeCreateItem',
          tags: ['probe'],
          summary: 'Echo a validated body',
          body: ProbeItem,
          response: { 201: ProbeItem, 400: ProblemSchema },
        },
      },
      async (request, reply) => reply.code(201).send(request.body),
    );

    app.get(
      '/probe/errors/:kind',
      {
        schema: {
          operationId: 'probeThrow',
          tags: ['probe'],
          summary: 'Throw an error of the given kind',
          params: Type.Object({ kind: ErrorKind }, { additionalProperties: false }),
          response: {
            200: Type.Object({}),
            ...problemResponses({
              401: ['unauthorized'],
              403: ['forbidden'],
              404: ['not_found'],
              409: ['conflict', 'invalid_state'],
              422: ['invalid_input'],
            }),
          },
        },
      },
      async (request) => {
        throw domainErrors[request.params.kind]!();
      },
    );

    app.get(
      '/probe/tagged/:version',
      {
        config: { cacheControl: 'public, max-age=60' },
        schema: {
          operationId: 'probeTagged',
          tags: ['probe'],
          summary: 'A public, cacheable representation with an entity tag',
          params: Type.Object(
            { version: Type.String({ pattern: '^v[0-9]+$' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ version: Type.String() }), 400: ProblemSchema },
        },
      },
      async (request, reply) => {
        reply.header('etag', `"${request.params.version}"`);
        return { version: request.params.version };
      },
    );

    app.get(
      '/probe/staff',
      {
        schema: {
          operationId: 'probeStaff',
          tags: ['probe'],
          summary: 'Staff only',
          response: { 200: Type.Object({ actor: Type.String() }), 401: ProblemSchema },
        },
        preHandler: accessGuard(STAFF, 'see the staff probe'),
      },
      async (request) => ({ actor: request.ctx.actor.kind }),
    );
  };
}
