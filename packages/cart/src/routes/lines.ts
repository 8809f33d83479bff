import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '@shopstack/kernel';
import {
  AddLineInput,
  Cart,
  CartParams,
  CartTokenHeaders,
  ChangeLineInput,
  LineParams,
} from '../schemas/cart.js';
import { OWNERSHIP } from './carts.js';
import type { CartRouteOptions } from './index.js';

const NOT_FOUND = ['cart_not_found', 'cart_expired'];

/** Adding, changing and removing cart lines. */
export const lineRoutes: FastifyPluginAsync<CartRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cart'];
  const { carts } = api;

  app.post(
    '/:id/lines',
    {
      schema: {
        operationId: 'addCartLine',
        tags,
        summary: 'Add units of a variant to a cart',
        description:
          'Names the product (id or slug) and its variant by variantId or sku. Adding a variant the cart holds adds to ' +
          'its line. Refused when the product is not on sale (422 product_unavailable), the variant is not one of it ' +
          '(422 variant_not_found), or the line would hold more than is available (409 out_of_stock). Prices are the ' +
          `catalogue's: a price or total in the body is refused. ${OWNERSHIP}`,
        params: CartParams,
        headers: CartTokenHeaders,
        body: AddLineInput,
        response: {
          200: Cart,
          ...problemResponses({
            404: NOT_FOUND,
            409: ['cart_completed', 'out_of_stock'],
            422: ['product_unavailable', 'variant_required', 'variant_not_found', 'line_quantity_limit'],
          }),
        },
      },
    },
    async (request) =>
      carts.addLine(request.ctx, request.params.id, request.headers['x-cart-token'], request.body),
  );

  app.patch(
    '/:id/lines/:lineId',
    {
      schema: {
        operationId: 'changeCartLine',
        tags,
        summary: "Set a line's quantity",
        description: `More units are checked against the catalogue (409 out_of_stock); fewer are always taken. ${OWNERSHIP}`,
        params: LineParams,
        headers: CartTokenHeaders,
        body: ChangeLineInput,
        response: {
          200: Cart,
          ...problemResponses({
            404: [...NOT_FOUND, 'line_not_found'],
            409: ['cart_completed', 'out_of_stock'],
            422: ['product_unavailable', 'variant_not_found'],
          }),
        },
      },
    },
    async (request) =>
      carts.changeLine(
        request.ctx,
        request.params.id,
        request.params.lineId,
        request.headers['x-cart-token'],
        request.body,
      ),
  );

  app.delete(
    '/:id/lines/:lineId',
    {
      schema: {
        operationId: 'removeCartLine',
        tags,
        summary: 'Remove a line',
        description: OWNERSHIP,
        params: LineParams,
        headers: CartTokenHeaders,
        response: {
          200: Cart,
          ...problemResponses({ 404: [...NOT_FOUND, 'line_not_found'], 409: ['cart_completed'] }),
        },
      },
    },
    async (request) =>
      carts.removeLine(
        request.ctx,
        request.params.id,
        request.params.lineId,
        request.headers['x-cart-token'],
      ),
  );
};
