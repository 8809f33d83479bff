import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, CUSTOMERS, problemResponses } from '@shopstack/kernel';
import { ProductParams } from '../schemas/common.js';
import { ProductRating } from '../schemas/rating.js';
import { CreateReviewInput, Review, ReviewListQuery, ReviewPage } from '../schemas/review.js';
import type { RatingsRouteOptions } from './index.js';

/** A product's rating and reviews, as shoppers read them, and a buyer's new review. */
export const productRoutes: FastifyPluginAsync<RatingsRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['ratings'];

  app.get(
    '/products/:productId',
    {
      schema: {
        operationId: 'getProductRating',
        tags,
        summary: "A product's average stars, review count and star histogram",
        description: 'Over visible reviews only; a product nobody reviewed has zeros.',
        params: ProductParams,
        response: { 200: ProductRating },
      },
    },
    async (request) => api.ratings.productRating(request.ctx, request.params.productId),
  );

  app.get(
    '/products/:productId/reviews',
    {
      schema: {
        operationId: 'listProductReviews',
        tags,
        summary: "A page of a product's visible reviews, with the shop's replies",
        description:
          'Newest first (sort=newest) or most helpful first (sort=helpful); nextCursor fetches the next page. ' +
          'Helpful counts move while one pages, so a review may show twice or not at all in that order.',
        params: ProductParams,
        querystring: ReviewListQuery,
        response: { 200: ReviewPage, ...problemResponses({ 400: ['invalid_cursor'] }) },
      },
    },
    async (request) => api.reviews.list(request.ctx, request.params.productId, request.query),
  );

  app.post(
    '/products/:productId/reviews',
    {
      onRequest: accessGuard(CUSTOMERS, 'review products'),
      schema: {
        operationId: 'createProductReview',
        tags,
        summary: 'Review a product you bought',
        description:
          'Only a customer with a paid order of the product may review it (403 not_a_buyer), once ' +
          '(409 already_reviewed: edit that review instead).',
        params: ProductParams,
        body: CreateReviewInput,
        response: {
          201: Review,
          ...problemResponses({ 403: ['not_a_buyer'], 409: ['already_reviewed'] }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await api.reviews.create(request.ctx, request.params.productId, request.body)),
  );
};
