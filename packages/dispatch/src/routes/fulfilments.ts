import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import { Fulfilment, FulfilmentList, FulfilmentParams, FulfilmentsQuery } from '../schemas/fulfilments.js';
import type { DispatchRouteOptions } from './index.js';

/** Staff read how each paid order is being fulfilled, step by step. */
export const fulfilmentRoutes: FastifyPluginAsync<DispatchRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'read fulfilments');
  const tags = ['dispatch'];

  app.get(
    '/fulfilments',
    {
      onRequest,
      schema: {
        operationId: 'listFulfilments',
        tags,
        summary: 'Fulfilments of orders, most recently changed first, by status',
        querystring: FulfilmentsQuery,
        response: { 200: FulfilmentList },
      },
    },
    async (request) => api.fulfilments.list(request.ctx, request.query),
  );

  app.get(
    '/fulfilments/:orderId',
    {
      onRequest,
      schema: {
        operationId: 'getFulfilment',
        tags,
        summary: "An order's fulfilment with every step dispatch took",
        params: FulfilmentParams,
        response: { 200: Fulfilment, ...problemResponses({ 404: ['fulfilment_not_found'] }) },
      },
    },
    async (request) => api.fulfilments.get(request.ctx, request.params.orderId),
  );
};
