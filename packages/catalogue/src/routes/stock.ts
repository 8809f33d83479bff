import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, NotFound, problemResponses, bearerSecurity } from '@shopstack/kernel';
import { RESERVES } from '../services/stock.js';
import { LOOKS_UP_VARIANTS } from '../services/variant-lookup.js';
import { STOCK_EXPOSURE_NOTE } from '../schemas/common.js';
import {
  OrderRefParams,
  PublicStock,
  ReservationResult,
  ReserveStockInput,
  SkuParams,
  VariantLookupQuery,
} from '../schemas/stock.js';
import { VariantLookup } from '../schemas/product.js';
import type { CatalogueRouteOptions } from './index.js';

/**
 * Stock reservations for checkout (staff or service token) and public availability of a SKU.
 * Release and commit take no body.
 */
export const stockRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(RESERVES, 'reserve stock');
  const tags = ['stock'];
  const security = bearerSecurity;

  app.post(
    '/reservations',
    {
      onRequest,
      schema: {
        operationId: 'reserveStock',
        tags,
        security,
        summary: 'Reserve stock for an order: every line or none',
        description:
          "Lines of the same SKU are merged. The units are held for holdSeconds (the store's " +
          'catalogue.reservationHoldMinutes when absent): a reservation neither committed nor released by then is ' +
          'released by the catalogue, as POST .../release would. 201 when this call reserved the stock; 200 when the orderRef already ' +
          'has an active reservation with the same lines (nothing more is reserved); 409 when a line is short ' +
          '(naming the SKU), when the orderRef holds an active reservation of other lines (code ' +
          'reservation_lines_differ), or when its reservation was released or committed (code ' +
          'reservation_released or reservation_committed: an order reference is reserved once); 422 for an unknown SKU ' +
          'or one not on sale.',
        body: ReserveStockInput,
        response: {
          200: ReservationResult,
          201: ReservationResult,
          ...problemResponses({
            409: [
              'out_of_stock',
              'reservation_lines_differ',
              'reservation_released',
              'reservation_committed',
            ],
            422: ['sku_not_found', 'sku_not_on_sale'],
          }),
        },
      },
    },
    async (request, reply) => {
      const { reservation, created } = await api.stock.reserveWithOutcome(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(reservation);
    },
  );

  app.get(
    '/reservations/:orderRef',
    {
      onRequest,
      schema: {
        operationId: 'getReservation',
        tags,
        security,
        summary: 'A reservation and its status',
        params: OrderRefParams,
        response: { 200: ReservationResult, ...problemResponses({ 404: ['reservation_not_found'] }) },
      },
    },
    async (request) => api.stock.getReservation(request.ctx, request.params.orderRef),
  );

  app.post(
    '/reservations/:orderRef/release',
    {
      onRequest,
      schema: {
        operationId: 'releaseReservation',
        tags,
        security,
        summary: 'Give reserved stock back (cancel, expiry, failed payment)',
        description:
          'Releasing a released reservation returns it unchanged; a committed one cannot be released (409, code ' +
          'reservation_committed).',
        params: OrderRefParams,
        response: {
          200: ReservationResult,
          ...problemResponses({ 404: ['reservation_not_found'], 409: ['reservation_committed'] }),
        },
      },
    },
    async (request) => api.stock.release(request.ctx, request.params.orderRef),
  );

  app.post(
    '/reservations/:orderRef/commit',
    {
      onRequest,
      schema: {
        operationId: 'commitReservation',
        tags,
        security,
        summary: 'Turn a reservation into a sale: units leave stock',
        description:
          'Committing a committed reservation returns it unchanged; a released one cannot be committed (409, code ' +
          'reservation_released).',
        params: OrderRefParams,
        response: {
          200: ReservationResult,
          ...problemResponses({ 404: ['reservation_not_found'], 409: ['reservation_released'] }),
        },
      },
    },
    async (request) => api.stock.commit(request.ctx, request.params.orderRef),
  );

  app.get(
    '/variants/lookup',
    {
      onRequest: accessGuard(LOOKS_UP_VARIANTS, 'look variants up'),
      schema: {
        operationId: 'lookUpVariant',
        tags: ['products'],
        summary:
          'A published variant by SKU or id, with its product and exact available units (services, staff)',
        description:
          'For the cart and checkout: exactly one of sku or variantId. Unknown, draft and archived variants are ' +
          '404 variant_not_found.',
        querystring: VariantLookupQuery,
        response: { 200: VariantLookup, ...problemResponses({ 404: ['variant_not_found'] }) },
      },
    },
    async (request) => {
      const found = await api.variants.lookup(request.ctx, request.query);
      if (!found) throw new NotFound('There is no such variant on sale.', { code: 'variant_not_found' });
      return found;
    },
  );

  app.get(
    '/stock/:sku',
    {
      schema: {
        operationId: 'getStockAvailability',
        tags,
        summary: 'Units of a SKU that can be ordered now',
        description: STOCK_EXPOSURE_NOTE,
        params: SkuParams,
        response: { 200: PublicStock, ...problemResponses({ 404: ['sku_not_found'] }) },
      },
    },
    async (request) => api.stock.getPublicStock(request.ctx, request.params.sku),
  );
};
