import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { accessGuard, Id, idempotencyKeyed, problemResponses, STAFF } from '@shopstack/kernel';
import {
  CancelOrderInput,
  FulfilmentInput,
  Order,
  OrderList,
  OrderParams,
  RefundOrderInput,
  StaffOrdersQuery,
} from '../schemas/order.js';
import { OrderStats, OrderStatsQuery } from '../schemas/stats.js';
import { FULFILS, READS_ORDERS } from '../services/orders.js';
import type { OrdersRouteOptions } from './index.js';

const PurchaseQuery = Type.Object({ customerId: Id, productId: Id }, { additionalProperties: false });

/** Staff's work on orders: figures, list, filter, search, read, cancel, refund and mark fulfilment. */
export const adminRoutes: FastifyPluginAsync<OrdersRouteOptions> = async (fastify, { api, runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['orders-admin'];
  const { orders } = api;

  app.get(
    '/admin/orders',
    {
      onRequest: accessGuard(READS_ORDERS, 'list orders'),
      schema: {
        operationId: 'adminListOrders',
        tags,
        summary: 'Orders, newest first, filtered by status, customer, SKU, time placed, number or e-mail',
        querystring: StaffOrdersQuery,
        response: { 200: OrderList, ...problemResponses({ 400: ['invalid_cursor'] }) },
      },
    },
    async (request) => orders.list(request.ctx, request.query),
  );

  app.get(
    '/admin/stats',
    {
      onRequest: accessGuard(STAFF, 'see order figures'),
      schema: {
        operationId: 'adminOrderStats',
        tags,
        summary: 'Orders placed and revenue per UTC day, today and over the period, and the last five orders',
        description:
          'Revenue sums the totals of the orders placed, cancelled ones excluded, in minor units of the store currency.',
        querystring: OrderStatsQuery,
        response: { 200: OrderStats },
      },
    },
    async (request) => api.stats.stats(request.ctx, request.query),
  );

  app.get(
    '/admin/orders/:id',
    {
      onRequest: accessGuard(READS_ORDERS, 'read orders'),
      schema: {
        operationId: 'adminGetOrder',
        tags,
        summary: 'An order with its lines and timeline',
        params: OrderParams,
        response: { 200: Order, ...problemResponses({ 404: ['order_not_found'] }) },
      },
    },
    async (request) =>
      api.shipments.attach(request.ctx, await orders.getForStaff(request.ctx, request.params.id)),
  );

  app.post(
    '/admin/orders/:id/cancel',
    {
      onRequest: accessGuard(STAFF, 'cancel orders'),
      ...idempotencyKeyed(runtime),
      schema: {
        operationId: 'adminCancelOrder',
        tags,
        summary:
          'Cancel an order that has not shipped: the payment is voided or refunded and the stock returned',
        params: OrderParams,
        body: CancelOrderInput,
        response: {
          200: Order,
          ...problemResponses({ 404: ['order_not_found'], 409: ['invalid_transition'] }),
        },
      },
    },
    async (request) => orders.cancel(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/admin/orders/:id/refunds',
    {
      onRequest: accessGuard(STAFF, 'refund orders'),
      ...idempotencyKeyed(runtime),
      schema: {
        operationId: 'adminRefundOrder',
        tags,
        summary: 'Refund all that is left (default) or part of a paid order',
        description:
          'Send an Idempotency-Key: a retry with it refunds once. A refund of the whole amount ends the order as refunded.',
        params: OrderParams,
        body: RefundOrderInput,
        response: {
          200: Order,
          ...problemResponses({
            404: ['order_not_found'],
            409: ['invalid_transition', 'refund_exceeds_paid', 'refund_exceeds_captured'],
          }),
        },
      },
    },
    async (request) => {
      const key = request.headers['idempotency-key'];
      const reference = typeof key === 'string' ? `refund-${request.params.id}-${key}` : undefined;
      return orders.refund(request.ctx, request.params.id, request.body, reference);
    },
  );

  app.post(
    '/admin/orders/:id/fulfilment',
    {
      onRequest: accessGuard(FULFILS, 'mark fulfilment steps'),
      schema: {
        operationId: 'adminMarkFulfilment',
        tags,
        summary: 'Mark a fulfilment step: fulfilling, shipped, delivered (in that order)',
        params: OrderParams,
        body: FulfilmentInput,
        response: {
          200: Order,
          ...problemResponses({ 404: ['order_not_found'], 409: ['invalid_transition'] }),
        },
      },
    },
    async (request) => orders.fulfil(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/admin/purchases',
    {
      onRequest: accessGuard(READS_ORDERS, 'check purchases'),
      schema: {
        operationId: 'adminCustomerBought',
        tags,
        summary: 'Whether a customer bought a product (a paid order, not cancelled or refunded)',
        querystring: PurchaseQuery,
        response: { 200: Type.Object({ bought: Type.Boolean() }, { additionalProperties: false }) },
      },
    },
    async (request) => ({
      bought: await orders.customerBought(request.ctx, request.query.customerId, request.query.productId),
    }),
  );
};
