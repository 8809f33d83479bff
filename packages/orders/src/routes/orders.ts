import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, problemResponses } from '@shopstack/kernel';
import {
  MyOrdersQuery,
  Order,
  OrderAccessQuery,
  OrderList,
  OrderLookupInput,
  OrderParams,
} from '../schemas/order.js';
import type { OrdersRouteOptions } from './index.js';

/** What shoppers read: a customer their orders, a guest the order of their link or number and e-mail. */
export const customerRoutes: FastifyPluginAsync<OrdersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listMyOrders',
        tags,
        summary: "The signed-in customer's orders, newest first",
        security: bearerSecurity,
        querystring: MyOrdersQuery,
        response: { 200: OrderList, ...problemResponses({ 400: ['invalid_cursor'] }) },
      },
    },
    async (request) => api.orders.listMine(request.ctx, request.query),
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getMyOrder',
        tags,
        summary: 'An order, with its lines, timeline and shipments',
        description:
          "A customer reads their own orders; a guest reads theirs with the key of the order's link (?key=, given at " +
          'checkout); staff read any. Anyone else gets 404 order_not_found: whether the order exists is not disclosed.',
        params: OrderParams,
        querystring: OrderAccessQuery,
        response: { 200: Order, ...problemResponses({ 404: ['order_not_found'] }) },
      },
    },
    async (request) =>
      api.shipments.attach(
        request.ctx,
        await api.orders.get(request.ctx, request.params.id, request.query.key),
      ),
  );

  app.post(
    '/lookup',
    {
      schema: {
        operationId: 'lookUpOrder',
        tags,
        summary: 'Find an order by its number and e-mail address (guests)',
        body: OrderLookupInput,
        response: { 200: Order, ...problemResponses({ 404: ['order_not_found'] }) },
      },
    },
    async (request) => api.shipments.attach(request.ctx, await api.orders.lookup(request.ctx, request.body)),
  );
};
