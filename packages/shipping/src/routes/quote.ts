import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '@shopstack/kernel';
import { CartQuoteHeaders, CartQuoteQuery, ParcelInput, ShippingQuote } from '../schemas/quote.js';
import type { ShippingRouteOptions } from './index.js';

const NOT_SERVED =
  'A country the store does not ship to is not an error: it answers 200 with no methods, as does a parcel ' +
  'heavier than every tier of every method.';

/** Public quotes: what shipping a cart, or any parcel, to a country costs. */
export const quoteRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['shipping'];

  app.get(
    '/quote',
    {
      schema: {
        operationId: 'quoteShippingForCart',
        tags,
        summary: 'The shipping methods available for a cart and a destination, priced',
        description:
          "The cart must be the caller's: a signed-in customer's own, or a guest's with its X-Cart-Token. " +
          'Free-shipping thresholds apply to the subtotal after discounts. ' +
          NOT_SERVED,
        querystring: CartQuoteQuery,
        headers: CartQuoteHeaders,
        response: {
          200: ShippingQuote,
          ...problemResponses({
            404: ['cart_not_found', 'cart_expired'],
            422: ['unknown_country', 'currency_mismatch'],
          }),
        },
      },
    },
    async (request) =>
      api.quotes.quoteCart(request.ctx, {
        cartId: request.query.cartId,
        country: request.query.country,
        ...(request.headers['x-cart-token'] ? { cartToken: request.headers['x-cart-token'] } : {}),
      }),
  );

  app.post(
    '/quote',
    {
      schema: {
        operationId: 'quoteShippingForParcel',
        tags,
        summary: 'The shipping methods available for a parcel and a destination, priced',
        description: 'Needs no cart: the weight and subtotal are given. Nothing is stored. ' + NOT_SERVED,
        body: ParcelInput,
        response: {
          200: ShippingQuote,
          ...problemResponses({ 422: ['unknown_country', 'currency_mismatch'] }),
        },
      },
    },
    async (request) => api.quotes.quote(request.ctx, request.body),
  );
};
