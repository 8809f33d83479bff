import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { problemResponses } from '@shopstack/kernel';
import {
  JwkSet,
  LoginInput,
  RefreshInput,
  RegisterInput,
  Registration,
  TokenPair,
} from '../schemas/account.js';
import type { LoginOrigin } from '../services/accounts.js';
import type { UsersRouteOptions } from './index.js';

/** Where a request comes from, for rate limits and the session list. */
export function originOf(request: FastifyRequest): LoginOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) };
}

/** Sign-up, sign-in, token refresh, sign-out and the public keys of access tokens. */
export const accountRoutes: FastifyPluginAsync<UsersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];

  app.post(
    '/register',
    {
      schema: {
        operationId: 'registerCustomer',
        tags,
        summary: 'Create a customer account and sign it in',
        description:
          'The e-mail address is trimmed and lower-cased. Role, id and status are set by the server: a body naming them is refused.',
        body: RegisterInput,
        response: {
          201: Registration,
          ...problemResponses({ 409: ['email_taken'], 422: ['weak_password'] }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await api.accounts.register(request.ctx, request.body, originOf(request))),
  );

  app.post(
    '/login',
    {
      schema: {
        operationId: 'login',
        tags,
        summary: 'Sign in with e-mail address and password',
        description:
          'An unknown address and a wrong password get the same 401. Failures are limited per account and per IP address: ' +
          'after a few, answers slow down; after more, the account (from any address) or the address (for any account) is locked for a while (429 with Retry-After).',
        body: LoginInput,
        response: {
          200: TokenPair,
          ...problemResponses({ 401: ['invalid_credentials'], 429: ['too_many_attempts'] }),
        },
      },
    },
    async (request) => {
      return api.accounts.login(request.ctx, request.body, originOf(request));
    },
  );

  app.post(
    '/refresh',
    {
      schema: {
        operationId: 'refreshTokens',
        tags,
        summary: 'Spend a refresh token for a new token pair',
        description:
          'Each refresh token works once. Presenting one a second time ends its whole session (every token of it) and answers refresh_token_reused.',
        body: RefreshInput,
        response: {
          200: TokenPair,
          ...problemResponses({
            401: ['invalid_refresh_token', 'refresh_token_reused', 'refresh_token_expired'],
          }),
        },
      },
    },
    async (request) => api.accounts.refresh(request.ctx, request.body),
  );

  app.post(
    '/logout',
    {
      schema: {
        operationId: 'logout',
        tags,
        summary: 'End the session of a refresh token',
        description:
          'Its refresh tokens stop working, and so do its access tokens. An unknown token ends nothing.',
        body: RefreshInput,
        response: { 204: Type.Null({ description: 'The session is ended' }) },
      },
    },
    async (request, reply) => {
      await api.accounts.logout(request.ctx, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { cacheControl: 'public, max-age=300' },
      schema: {
        operationId: 'getJwks',
        tags,
        summary: 'The public keys that verify access tokens (JWK Set)',
        description: 'Every process of the store verifies access tokens with these keys (EdDSA, Ed25519).',
        response: { 200: JwkSet },
      },
    },
    async () => api.keys.jwks(),
  );
};
