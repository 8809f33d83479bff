import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import { ReviewParams } from '../schemas/common.js';
import { ReplyInput, StaffReview, StaffReviewListQuery, StaffReviewPage } from '../schemas/review.js';
import type { RatingsRouteOptions } from './index.js';

/**
 * Staff moderation of reviews. The staff check runs on request, before the body is parsed or
 * validated, so anonymous callers learn nothing from 400s.
 */
export const moderationRoutes: FastifyPluginAsync<RatingsRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'moderate reviews');
  const tags = ['ratings-admin'];
  const notFound = problemResponses({ 404: ['review_not_found'] });

  app.get(
    '/admin/reviews',
    {
      onRequest,
      schema: {
        operationId: 'adminListReviews',
        tags,
        summary: 'Reviews in every status, newest first, filtered by status and product',
        querystring: StaffReviewListQuery,
        response: { 200: StaffReviewPage, ...problemResponses({ 400: ['invalid_cursor'] }) },
      },
    },
    async (request) => api.moderation.list(request.ctx, request.query),
  );

  app.post(
    '/admin/reviews/:id/hide',
    {
      onRequest,
      schema: {
        operationId: 'adminHideReview',
        tags,
        summary: "Hide a review from listings and from its product's rating",
        description: 'Hiding a hidden review changes nothing.',
        params: ReviewParams,
        response: { 200: StaffReview, ...notFound },
      },
    },
    async (request) => api.moderation.hide(request.ctx, request.params.id),
  );

  app.post(
    '/admin/reviews/:id/show',
    {
      onRequest,
      schema: {
        operationId: 'adminShowReview',
        tags,
        summary: "Show a hidden review again, counting it in its product's rating",
        description: 'Showing a visible review changes nothing.',
        params: ReviewParams,
        response: { 200: StaffReview, ...notFound },
      },
    },
    async (request) => api.moderation.show(request.ctx, request.params.id),
  );

  app.put(
    '/admin/reviews/:id/reply',
    {
      onRequest,
      schema: {
        operationId: 'adminReplyToReview',
        tags,
        summary: "Set or replace the shop's reply to a review",
        params: ReviewParams,
        body: ReplyInput,
        response: { 200: StaffReview, ...notFound },
      },
    },
    async (request) => api.moderation.reply(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/admin/reviews/:id/reply',
    {
      onRequest,
      schema: {
        operationId: 'adminRemoveReviewReply',
        tags,
        summary: "Remove the shop's reply to a review",
        params: ReviewParams,
        response: { 200: StaffReview, ...notFound },
      },
    },
    async (request) => api.moderation.removeReply(request.ctx, request.params.id),
  );
};
