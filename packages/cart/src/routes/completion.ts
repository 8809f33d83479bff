import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses } from '@shopstack/kernel';
import { Cart, CartParams, CartTokenHeaders, CompleteCartInput } from '../schemas/cart.js';
import { COMPLETES } from '../services/complete.js';
import type { CartRouteOptions } from './index.js';

/** Completing a cart once its order is paid: checkout (the orders service) and staff. */
export const completionRoutes: FastifyPluginAsync<CartRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/:id/complete',
    {
      onRequest: accessGuard(COMPLETES, 'complete a cart'),
      schema: {
        operationId: 'completeCart',
        tags: ['cart-checkout'],
        summary: 'Mark a cart checked out as an order',
        description:
          'One conditional update marks an active cart completed with the orderRef; from then on it reads with ' +
          'status completed and refuses every change (409 cart_completed). Completing again with the same orderRef ' +
          'answers the cart unchanged; a cart completed as another order, merged or expired is 409 cart_not_active; ' +
          'an orderRef another cart was completed as is 409 order_ref_taken. Staff and the orders service only; when ' +
          "the orders service passes a shopper's checkout on, the cart must be the shopper's (a guest's by " +
          'X-Cart-Token), or it is 404 cart_not_found.',
        params: CartParams,
        headers: CartTokenHeaders,
        body: CompleteCartInput,
        response: {
          200: Cart,
          ...problemResponses({
            404: ['cart_not_found'],
            409: ['cart_not_active', 'order_ref_taken'],
          }),
        },
      },
    },
    async (request) =>
      api.carts.complete(request.ctx, request.params.id, request.headers['x-cart-token'], request.body),
  );
};
