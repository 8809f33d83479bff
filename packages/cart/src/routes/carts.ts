import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { bearerSecurity, problemResponses } from '@shopstack/kernel';
import {
  ApplyDiscountInput,
  Cart,
  CartParams,
  CartTokenHeaders,
  CreatedCart,
  Parcel,
  SelectShippingInput,
} from '../schemas/cart.js';
import type { CartRouteOptions } from './index.js';

/** How every cart route says who may see a cart; the OpenAPI description of each repeats it. */
export const OWNERSHIP =
  'A guest proves the cart is theirs with the X-Cart-Token header (the token returned when the cart was ' +
  'created), a customer with their access token. Anyone else, a wrong token or none, gets 404 cart_not_found: ' +
  "whether another shopper's cart exists is not disclosed. A cart idle for longer than the store's idle time " +
  'answers 404 cart_expired to its owner. A cart checked out as an order reads with status completed and ' +
  'refuses every change (409 cart_completed).';

const NOT_FOUND = ['cart_not_found', 'cart_expired'];

/** Opening, reading and choosing for a cart (discount code, shipping, merge). */
export const cartRoutesOfShoppers: FastifyPluginAsync<CartRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cart'];
  const { carts } = api;

  app.post(
    '/',
    {
      schema: {
        operationId: 'createCart',
        tags,
        summary: 'Open a cart',
        description:
          'Anonymous: a new guest cart and its token (201), shown only in this answer. A signed-in customer: their ' +
          'one active cart, created (201) or as it is (200), with token null. Takes no body: nothing a client sends ' +
          'sets a cart.',
        response: { 200: CreatedCart, 201: CreatedCart, ...problemResponses({ 409: ['cart_changed'] }) },
      },
    },
    async (request, reply) => {
      const { cart, created } = await carts.create(request.ctx);
      return reply.code(created ? 201 : 200).send(cart);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getCart',
        tags,
        summary: 'A cart, priced now',
        description: `${OWNERSHIP} Prices come from the catalogue at the time of the answer.`,
        params: CartParams,
        headers: CartTokenHeaders,
        response: { 200: Cart, ...problemResponses({ 404: NOT_FOUND }) },
      },
    },
    async (request) => carts.get(request.ctx, request.params.id, request.headers['x-cart-token']),
  );

  app.get(
    '/:id/parcel',
    {
      schema: {
        operationId: 'getCartParcel',
        tags,
        summary: 'What shipping needs to price a cart: goods subtotal, weight, item count',
        description: OWNERSHIP,
        params: CartParams,
        headers: CartTokenHeaders,
        response: { 200: Parcel, ...problemResponses({ 404: NOT_FOUND }) },
      },
    },
    async (request) => carts.parcel(request.ctx, request.params.id, request.headers['x-cart-token']),
  );

  app.post(
    '/:id/discount',
    {
      schema: {
        operationId: 'applyCartDiscount',
        tags,
        summary: 'Apply a discount code to a cart',
        description:
          `Checks the code now: unknown or switched off (404 discount_not_found), not started or expired (422), ` +
          `subtotal under its minimum (422 discount_minimum_not_met), no uses left overall (409 discount_exhausted) or ` +
          `for this customer (409 discount_customer_limit). Applying uses nothing up; checkout redeems the use. ${OWNERSHIP}`,
        params: CartParams,
        headers: CartTokenHeaders,
        body: ApplyDiscountInput,
        response: {
          200: Cart,
          ...problemResponses({
            404: [...NOT_FOUND, 'discount_not_found'],
            409: ['cart_completed', 'discount_exhausted', 'discount_customer_limit'],
            422: ['discount_not_started', 'discount_expired', 'discount_minimum_not_met'],
          }),
        },
      },
    },
    async (request) =>
      carts.applyDiscount(request.ctx, request.params.id, request.headers['x-cart-token'], request.body),
  );

  app.delete(
    '/:id/discount',
    {
      schema: {
        operationId: 'removeCartDiscount',
        tags,
        summary: "Remove a cart's discount code",
        description: OWNERSHIP,
        params: CartParams,
        headers: CartTokenHeaders,
        response: { 200: Cart, ...problemResponses({ 404: NOT_FOUND, 409: ['cart_completed'] }) },
      },
    },
    async (request) => carts.removeDiscount(request.ctx, request.params.id, request.headers['x-cart-token']),
  );

  app.put(
    '/:id/shipping',
    {
      schema: {
        operationId: 'selectCartShipping',
        tags,
        summary: 'Choose the destination country and shipping method',
        description:
          "The method must be one the shipping service offers for the cart's parcel to that country. Totals then show " +
          "shipping as quoted at every read (free when shipping says so) and tax on it at the destination's standard " +
          `rate; the destination also picks the tax rates of the lines. ${OWNERSHIP}`,
        params: CartParams,
        headers: CartTokenHeaders,
        body: SelectShippingInput,
        response: {
          200: Cart,
          ...problemResponses({
            404: NOT_FOUND,
            409: ['cart_completed'],
            422: ['cart_empty', 'shipping_destination_unsupported', 'shipping_method_unavailable'],
          }),
        },
      },
    },
    async (request) =>
      carts.selectShipping(request.ctx, request.params.id, request.headers['x-cart-token'], request.body),
  );

  app.post(
    '/:id/merge',
    {
      schema: {
        operationId: 'mergeCart',
        tags,
        summary: "Merge a guest cart into the signed-in customer's cart (at login)",
        description:
          "Needs both proofs: the customer's access token (Authorization) and the guest cart's X-Cart-Token. Guest " +
          "lines are added to the customer's active cart (quantities of a variant summed and cut to what the catalogue " +
          'has, with a notice; lines off sale left out) and the guest cart is closed. A customer without an active ' +
          "cart takes the guest cart over. Answers the customer's cart. Only customers (401 when anonymous, 403 for " +
          'staff and services).',
        security: bearerSecurity,
        params: CartParams,
        headers: CartTokenHeaders,
        response: { 200: Cart, ...problemResponses({ 404: NOT_FOUND, 409: ['cart_completed'] }) },
      },
    },
    async (request) => carts.merge(request.ctx, request.params.id, request.headers['x-cart-token']),
  );
};
