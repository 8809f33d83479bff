import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import {
  MethodParams,
  RateParams,
  RateTierInput,
  ShippingRateTier,
  ShippingRateTierList,
  UpdateRateInput,
} from '../schemas/methods.js';
import type { ShippingRouteOptions } from './index.js';

/** Staff endpoints for the weight tiers that price a method. */
export const rateRoutes: FastifyPluginAsync<ShippingRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage shipping');
  const tags = ['shipping-admin'];

  app.post(
    '/admin/methods/:methodId/rates',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateShippingRate',
        tags,
        summary: 'Add a weight tier to a method',
        description:
          'The tier prices parcels heavier than the next lighter tier, up to and including maxWeightGrams (null: no maximum).',
        params: MethodParams,
        body: RateTierInput,
        response: {
          201: ShippingRateTier,
          ...problemResponses({
            404: ['method_not_found'],
            409: ['rate_tiers_overlap'],
            422: ['currency_mismatch'],
          }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await api.methods.addRate(request.ctx, request.params.methodId, request.body)),
  );

  app.get(
    '/admin/methods/:methodId/rates',
    {
      onRequest,
      schema: {
        operationId: 'adminListShippingRates',
        tags,
        summary: "A method's weight tiers, lightest first",
        params: MethodParams,
        response: { 200: ShippingRateTierList, ...problemResponses({ 404: ['method_not_found'] }) },
      },
    },
    async (request) => ({ rates: await api.methods.listRates(request.ctx, request.params.methodId) }),
  );

  app.patch(
    '/admin/rates/:rateId',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateShippingRate',
        tags,
        summary: "Change a weight tier's maximum weight or price",
        params: RateParams,
        body: UpdateRateInput,
        response: {
          200: ShippingRateTier,
          ...problemResponses({
            404: ['rate_not_found'],
            409: ['rate_tiers_overlap'],
            422: ['currency_mismatch'],
          }),
        },
      },
    },
    async (request) => api.methods.updateRate(request.ctx, request.params.rateId, request.body),
  );

  app.delete(
    '/admin/rates/:rateId',
    {
      onRequest,
      schema: {
        operationId: 'adminDeleteShippingRate',
        tags,
        summary: 'Delete a weight tier',
        params: RateParams,
        response: {
          204: Type.Null({ description: 'Deleted; no body' }),
          ...problemResponses({ 404: ['rate_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await api.methods.deleteRate(request.ctx, request.params.rateId);
      return reply.code(204).send(null);
    },
  );
};
