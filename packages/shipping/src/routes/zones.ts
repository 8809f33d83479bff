import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import {
  CreateZoneInput,
  ShippingZone,
  ShippingZoneList,
  UpdateZoneInput,
  ZoneParams,
} from '../schemas/zones.js';
import type { ShippingRouteOptions } from './index.js';

/**
 * Staff endpoints for shipping zones. The staff check runs on request, before the body is parsed
 * or validated, so anonymous callers learn nothing from 400s.
 */
export const zoneRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage shipping');
  const tags = ['shipping-admin'];

  app.post(
    '/admin/zones',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateShippingZone',
        tags,
        summary: 'Create a shipping zone with its countries',
        description: 'A country belongs to one zone at most: one another zone holds is refused (409).',
        body: CreateZoneInput,
        response: {
          201: ShippingZone,
          ...problemResponses({ 409: ['country_in_another_zone'], 422: ['unknown_country'] }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await api.zones.createZone(request.ctx, request.body)),
  );

  app.get(
    '/admin/zones',
    {
      onRequest,
      schema: {
        operationId: 'adminListShippingZones',
        tags,
        summary: 'Every shipping zone with its countries, methods and rate tiers',
        response: { 200: ShippingZoneList },
      },
    },
    async (request) => ({ zones: await api.zones.listZones(request.ctx) }),
  );

  app.get(
    '/admin/zones/:zoneId',
    {
      onRequest,
      schema: {
        operationId: 'adminGetShippingZone',
        tags,
        summary: 'A shipping zone with its countries, methods and rate tiers',
        params: ZoneParams,
        response: { 200: ShippingZone, ...problemResponses({ 404: ['zone_not_found'] }) },
      },
    },
    async (request) => api.zones.getZone(request.ctx, request.params.zoneId),
  );

  app.patch(
    '/admin/zones/:zoneId',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateShippingZone',
        tags,
        summary: 'Rename a zone or replace its countries',
        description: 'The countries given become the whole list of the zone.',
        params: ZoneParams,
        body: UpdateZoneInput,
        response: {
          200: ShippingZone,
          ...problemResponses({
            404: ['zone_not_found'],
            409: ['country_in_another_zone'],
            422: ['unknown_country'],
          }),
        },
      },
    },
    async (request) => api.zones.updateZone(request.ctx, request.params.zoneId, request.body),
  );

  app.delete(
    '/admin/zones/:zoneId',
    {
      onRequest,
      schema: {
        operationId: 'adminDeleteShippingZone',
        tags,
        summary: 'Delete a zone with its methods and rate tiers',
        params: ZoneParams,
        response: {
          204: Type.Null({ description: 'Deleted; no body' }),
          ...problemResponses({ 404: ['zone_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await api.zones.deleteZone(request.ctx, request.params.zoneId);
      return reply.code(204).send(null);
    },
  );
};
