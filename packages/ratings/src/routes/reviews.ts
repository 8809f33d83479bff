import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { accessGuard, CUSTOMERS, problemResponses } from '@shopstack/kernel';
import { ReviewParams } from '../schemas/common.js';
import { HelpfulVote, Review, UpdateReviewInput } from '../schemas/review.js';
import type { RatingsRouteOptions } from './index.js';

/**
 * A customer's own reviews and their helpful votes. Another customer's review is answered 404,
 * as if it did not exist.
 */
export const reviewRoutes: FastifyPluginAsync<RatingsRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ratings'];

  app.patch(
    '/reviews/:id',
    {
      onRequest: accessGuard(CUSTOMERS, 'edit reviews'),
      schema: {
        operationId: 'updateMyReview',
        tags,
        summary: 'Change the stars, title or body of your review',
        params: ReviewParams,
        body: UpdateReviewInput,
        response: { 200: Review, ...problemResponses({ 404: ['review_not_found'] }) },
      },
    },
    async (request) => api.reviews.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/reviews/:id',
    {
      onRequest: accessGuard(CUSTOMERS, 'delete reviews'),
      schema: {
        operationId: 'deleteMyReview',
        tags,
        summary: 'Delete your review',
        params: ReviewParams,
        response: {
          204: Type.Null({ description: 'Deleted; no body' }),
          ...problemResponses({ 404: ['review_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await api.reviews.delete(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/reviews/:id/helpful',
    {
      onRequest: accessGuard(CUSTOMERS, 'vote on reviews'),
      schema: {
        operationId: 'voteReviewHelpful',
        tags,
        summary: 'Mark a review as helpful',
        description:
          'One vote per customer and review: voting again changes nothing and answers 200 with the same ' +
          'count and counted: false, so a retried request is harmless.',
        params: ReviewParams,
        response: { 200: HelpfulVote, ...problemResponses({ 404: ['review_not_found'] }) },
      },
    },
    async (request) => api.reviews.voteHelpful(request.ctx, request.params.id),
  );
};
