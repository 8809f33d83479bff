import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses } from '@shopstack/kernel';
import {
  CreateShipmentInput,
  OrderShipmentParams,
  Shipment,
  ShipmentList,
  ShipmentParams,
  ShipmentsQuery,
} from '../schemas/shipments.js';
import { READS_SHIPMENTS, WRITES_SHIPMENTS } from '../services/shipments.js';
import type { ShippingRouteOptions } from './index.js';

/**
 * Shipments: dispatch (and staff) ship and stop orders' parcels; staff, dispatch, orders and
 * notifications read them. The access check runs on request, before any body is read.
 */
export const shipmentRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const writes = accessGuard(WRITES_SHIPMENTS, 'ship orders');
  const reads = accessGuard(READS_SHIPMENTS, 'read shipments');

  app.post(
    '/shipments',
    {
      onRequest: writes,
      schema: {
        operationId: 'createShipment',
        tags: ['shipments'],
        summary: 'Ship an order: its shipment, created by the first call and answered by every later one',
        body: CreateShipmentInput,
        response: { 200: Shipment },
      },
    },
    async (request) => api.shipments.create(request.ctx, request.body),
  );

  app.get(
    '/orders/:orderId/shipments',
    {
      onRequest: reads,
      schema: {
        operationId: 'listOrderShipments',
        tags: ['shipments'],
        summary: "An order's shipments with their tracking events",
        params: OrderShipmentParams,
        response: { 200: ShipmentList },
      },
    },
    async (request) => ({ items: await api.shipments.forOrder(request.ctx, request.params.orderId) }),
  );

  app.post(
    '/orders/:orderId/shipments/cancel',
    {
      onRequest: writes,
      schema: {
        operationId: 'cancelOrderShipment',
        tags: ['shipments'],
        summary: "Stop an order's shipment before it leaves",
        description:
          'One already cancelled is answered as it is; one in transit or delivered is refused (409).',
        params: OrderShipmentParams,
        response: {
          200: Shipment,
          ...problemResponses({ 404: ['shipment_not_found'], 409: ['shipment_in_transit'] }),
        },
      },
    },
    async (request) => api.shipments.cancel(request.ctx, request.params.orderId),
  );

  app.get(
    '/admin/shipments',
    {
      onRequest: reads,
      schema: {
        operationId: 'adminListShipments',
        tags: ['shipping-admin'],
        summary: 'Shipments, newest first, by status or order',
        querystring: ShipmentsQuery,
        response: { 200: ShipmentList },
      },
    },
    async (request) => api.shipments.list(request.ctx, request.query),
  );

  app.get(
    '/admin/shipments/:shipmentId',
    {
      onRequest: reads,
      schema: {
        operationId: 'adminGetShipment',
        tags: ['shipping-admin'],
        summary: 'A shipment with its tracking events',
        params: ShipmentParams,
        response: { 200: Shipment, ...problemResponses({ 404: ['shipment_not_found'] }) },
      },
    },
    async (request) => api.shipments.get(request.ctx, request.params.shipmentId),
  );
};
