import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses } from '@shopstack/kernel';
import { OrderRefParams, RedeemDiscountInput, Redemption } from '../schemas/admin.js';
import { REDEEMS } from '../services/discounts.js';
import type { CartRouteOptions } from './index.js';

/** Redeeming and releasing a code's use for an order: checkout (the orders service) and staff. */
export const redemptionRoutes: FastifyPluginAsync<CartRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(REDEEMS, 'redeem discount codes');
  const tags = ['cart-checkout'];

  app.post(
    '/discount-redemptions',
    {
      onRequest,
      schema: {
        operationId: 'redeemDiscount',
        tags,
        summary: "Use one of a code's uses for an order",
        description:
          'Atomic: one conditional update takes the use only while the code is active, in its window and under its ' +
          'limit; the per-customer limit is counted under the same row lock. 201 when this call took the use; 200 ' +
          'when the orderRef already holds it (counted once). 409 discount_exhausted / discount_customer_limit when no ' +
          'use is left, redemption_differs when the orderRef redeemed another code or customer, redemption_released ' +
          'when it was released (redeem under a new orderRef).',
        body: RedeemDiscountInput,
        response: {
          200: Redemption,
          201: Redemption,
          ...problemResponses({
            404: ['discount_not_found'],
            409: [
              'discount_exhausted',
              'discount_customer_limit',
              'redemption_differs',
              'redemption_released',
            ],
            422: ['discount_not_started', 'discount_expired'],
          }),
        },
      },
    },
    async (request, reply) => {
      const { redemption, created } = await api.discounts.redeem(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(redemption);
    },
  );

  app.post(
    '/discount-redemptions/:orderRef/release',
    {
      onRequest,
      schema: {
        operationId: 'releaseDiscount',
        tags,
        summary: "Give an order's use of a code back (a failed checkout)",
        description: 'The use is given back once; releasing again returns the released redemption unchanged.',
        params: OrderRefParams,
        response: { 200: Redemption, ...problemResponses({ 404: ['redemption_not_found'] }) },
      },
    },
    async (request) => api.discounts.release(request.ctx, request.params.orderRef),
  );
};
