import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { idempotencyKeyed, problemResponses } from '@shopstack/kernel';
import { CheckoutHeaders, CheckoutInput, CheckoutResult } from '../schemas/checkout.js';
import type { OrdersRouteOptions } from './index.js';

/** Every problem a checkout may answer, by status: its own and those of the steps it takes. */
export const CHECKOUT_PROBLEMS = {
  402: ['card_declined', 'insufficient_funds', 'capture_failed'],
  404: ['cart_not_found', 'cart_expired'],
  409: [
    'out_of_stock',
    'product_unavailable',
    'price_changed',
    'cart_completed',
    'cart_lines_unavailable',
    'checkout_in_progress',
    'discount_exhausted',
    'discount_customer_limit',
  ],
  422: [
    'cart_empty',
    'shipping_method_unavailable',
    'shipping_destination_unsupported',
    'payment_token_not_found',
    'payment_token_expired',
    'discount_not_started',
    'discount_expired',
  ],
};

export const checkoutRoutes: FastifyPluginAsync<OrdersRouteOptions> = async (fastify, { api, runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/checkout',
    {
      ...idempotencyKeyed(runtime, { required: true }),
      schema: {
        operationId: 'checkout',
        tags: ['checkout'],
        summary: 'Pay for a cart and place the order',
        description:
          'Requires an Idempotency-Key: a retry with the same key and body answers the first answer again and never ' +
          'charges twice; while the first still runs, 409 idempotency_in_progress. The cart is priced with the ' +
          "address's country and the chosen method, its discount code redeemed, its stock reserved, the card " +
          'authorized, the order created, the payment captured, the stock committed and the cart completed. Any ' +
          'failure before the capture undoes the earlier steps and answers what went wrong: 409 out_of_stock names ' +
          'the SKU, 402 card_declined / insufficient_funds / capture_failed, 409 price_changed when expectedTotal ' +
          'is not what the cart now costs. The cart stays as it was and can be checked out again. A guest proves ' +
          'the cart is theirs with X-Cart-Token and gets an accessKey to read the order later.',
        headers: CheckoutHeaders,
        body: CheckoutInput,
        response: { 201: CheckoutResult, ...problemResponses(CHECKOUT_PROBLEMS) },
      },
    },
    async (request, reply) => {
      const result = await api.checkout.checkout(request.ctx, request.body, request.headers['x-cart-token']);
      return reply.code(201).header('location', `/api/orders/${result.id}`).send(result);
    },
  );
};
