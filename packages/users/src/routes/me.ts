import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, CUSTOMERS, problemResponses } from '@shopstack/kernel';
import { Account, TokenPair } from '../schemas/account.js';
import { ChangePasswordInput, DataExport, UpdateProfileInput } from '../schemas/profile.js';
import { ACCOUNT_HOLDERS } from '../services/profiles.js';
import { originOf } from './account.js';
import type { UsersRouteOptions } from './index.js';

/** The signed-in account: profile, password, data export and deletion. */
export const meRoutes: FastifyPluginAsync<UsersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['users'];
  const holders = accessGuard(ACCOUNT_HOLDERS, 'see or change your account');

  app.get(
    '/me',
    {
      onRequest: holders,
      schema: {
        operationId: 'getMe',
        tags,
        summary: 'The signed-in account (customer or staff)',
        response: { 200: Account },
      },
    },
    async (request) => api.profiles.me(request.ctx),
  );

  app.patch(
    '/me',
    {
      onRequest: holders,
      schema: {
        operationId: 'updateMe',
        tags,
        summary: 'Change your name or phone number',
        description: 'E-mail address, role and status are not yours to set: a body naming them is refused.',
        body: UpdateProfileInput,
        response: { 200: Account },
      },
    },
    async (request) => api.profiles.updateMe(request.ctx, request.body),
  );

  app.post(
    '/me/password',
    {
      onRequest: holders,
      schema: {
        operationId: 'changePassword',
        tags,
        summary: 'Change your password',
        description:
          'Needs the current password (failures are rate limited like sign-in). Every session ends; the answer is the pair of a new one.',
        body: ChangePasswordInput,
        response: {
          200: TokenPair,
          ...problemResponses({ 422: ['wrong_password', 'weak_password'], 429: ['too_many_attempts'] }),
        },
      },
    },
    async (request) => {
      return api.accounts.changePassword(request.ctx, request.body, originOf(request));
    },
  );

  app.get(
    '/me/export',
    {
      onRequest: holders,
      schema: {
        operationId: 'exportMyData',
        tags,
        summary: 'Everything held about your account, as JSON',
        description:
          'Profile, addresses and sessions (when and from which device); never a password hash or token.',
        response: { 200: DataExport },
      },
    },
    async (request) => api.profiles.exportMe(request.ctx),
  );

  app.delete(
    '/me',
    {
      onRequest: accessGuard(CUSTOMERS, 'delete your account'),
      schema: {
        operationId: 'deleteMe',
        tags,
        summary: 'Delete your customer account',
        description:
          'Personal data is erased (name, phone, addresses, devices; the e-mail address becomes a tombstone), every session ends, ' +
          "and other services are told (CustomerDeleted) to erase theirs. The account's tokens and password stop working.",
        response: { 204: Type.Null({ description: 'The account is deleted' }) },
      },
    },
    async (request, reply) => {
      await api.profiles.deleteMe(request.ctx);
      return reply.code(204).send(null);
    },
  );
};
