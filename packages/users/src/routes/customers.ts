import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, bearerSecurity, problemResponses, STAFF } from '@shopstack/kernel';
import { IdParams } from '../schemas/common.js';
import { Customer, CustomerList, CustomerListQuery } from '../schemas/profile.js';
import type { UsersRouteOptions } from './index.js';

/** Customers as staff, other services and the customers themselves see them. */
export const customerRoutes: FastifyPluginAsync<UsersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/customers',
    {
      onRequest: accessGuard(STAFF, 'list customers'),
      schema: {
        operationId: 'listCustomers',
        tags: ['customers'],
        summary: 'Customers, newest first, searched by part of the name or e-mail address (staff)',
        querystring: CustomerListQuery,
        response: { 200: CustomerList, ...problemResponses({ 400: ['invalid_cursor'] }) },
      },
    },
    async (request) => api.profiles.listCustomers(request.ctx, request.query),
  );

  app.get(
    '/customers/:id',
    {
      schema: {
        operationId: 'getCustomer',
        tags: ['customers'],
        summary: 'A customer with their addresses',
        description: "For staff, services, and the customer themself; anyone else's customer is not found.",
        // Who may see which customer is decided in the service layer (a customer sees only themself).
        security: bearerSecurity,
        params: IdParams,
        response: { 200: Customer, ...problemResponses({ 404: ['customer_not_found'] }) },
      },
    },
    async (request) => api.profiles.getCustomer(request.ctx, request.params.id),
  );
};
