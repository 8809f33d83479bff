import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses } from '@shopstack/kernel';
import { CreatedStaff, CreateStaffInput } from '../schemas/staff.js';
import { STAFF_CREATORS } from '../services/accounts.js';
import type { UsersRouteOptions } from './index.js';

/** Staff accounts, managed by admins (and created by the bootstrap credential on a new store). */
export const staffRoutes: FastifyPluginAsync<UsersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/staff',
    {
      onRequest: accessGuard(STAFF_CREATORS, 'create staff accounts'),
      schema: {
        operationId: 'createStaff',
        tags: ['staff'],
        summary: 'Create a staff account (role staff unless given)',
        description:
          'Admins only, and the bootstrap token (SHOPSTACK_ADMIN_TOKEN) of a new store. Without a password, one is generated and answered once.',
        body: CreateStaffInput,
        response: {
          201: CreatedStaff,
          ...problemResponses({ 409: ['email_taken'], 422: ['weak_password'] }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await api.accounts.createStaff(request.ctx, request.body)),
  );
};
