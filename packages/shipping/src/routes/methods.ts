import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import {
  CreateMethodInput,
  MethodParams,
  ShippingMethod,
  ShippingMethodList,
  UpdateMethodInput,
} from '../schemas/methods.js';
import { ZoneParams } from '../schemas/zones.js';
import type { ShippingRouteOptions } from './index.js';

/** Staff endpoints for the methods of a zone (standard, express, ...). */
export const methodRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage shipping');
  const tags = ['shipping-admin'];

  app.post(
    '/admin/zones/:zoneId/methods',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateShippingMethod',
        tags,
        summary: 'Add a method to a zone, with its weight tiers',
        description:
          'Prices are in the store currency. Tiers must not share a maxWeightGrams, and one tier at most is unbounded.',
        params: ZoneParams,
        body: CreateMethodInput,
        response: {
          201: ShippingMethod,
          ...problemResponses({
            404: ['zone_not_found'],
            409: ['method_code_taken', 'rate_tiers_overlap'],
            422: ['currency_mismatch', 'invalid_delivery_estimate'],
          }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await api.methods.createMethod(request.ctx, request.params.zoneId, request.body)),
  );

  app.get(
    '/admin/zones/:zoneId/methods',
    {
      onRequest,
      schema: {
        operationId: 'adminListShippingMethods',
        tags,
        summary: 'The methods of a zone, by code, with their weight tiers',
        params: ZoneParams,
        response: { 200: ShippingMethodList, ...problemResponses({ 404: ['zone_not_found'] }) },
      },
    },
    async (request) => ({ methods: await api.methods.listMethods(request.ctx, request.params.zoneId) }),
  );

  app.get(
    '/admin/methods/:methodId',
    {
      onRequest,
      schema: {
        operationId: 'adminGetShippingMethod',
        tags,
        summary: 'A shipping method with its weight tiers',
        params: MethodParams,
        response: { 200: ShippingMethod, ...problemResponses({ 404: ['method_not_found'] }) },
      },
    },
    async (request) => api.methods.getMethod(request.ctx, request.params.methodId),
  );

  app.patch(
    '/admin/methods/:methodId',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateShippingMethod',
        tags,
        summary: "Change a method's code, name, delivery estimate or free-shipping threshold",
        description: 'null clears the estimate or the threshold. Tiers have their own routes.',
        params: MethodParams,
        body: UpdateMethodInput,
        response: {
          200: ShippingMethod,
          ...problemResponses({
            404: ['method_not_found'],
            409: ['method_code_taken'],
            422: ['currency_mismatch', 'invalid_delivery_estimate'],
          }),
        },
      },
    },
    async (request) => api.methods.updateMethod(request.ctx, request.params.methodId, request.body),
  );

  app.delete(
    '/admin/methods/:methodId',
    {
      onRequest,
      schema: {
        operationId: 'adminDeleteShippingMethod',
        tags,
        summary: 'Delete a method with its weight tiers',
        params: MethodParams,
        response: {
          204: Type.Null({ description: 'Deleted; no body' }),
          ...problemResponses({ 404: ['method_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await api.methods.deleteMethod(request.ctx, request.params.methodId);
      return reply.code(204).send(null);
    },
  );
};
