import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { RatingsApi } from '../api.js';
import type { RatingsTables } from '../tables.js';
import { moderationRoutes } from './moderation.js';
import { productRoutes } from './products.js';
import { reviewRoutes } from './reviews.js';

export interface RatingsRouteOptions {
  runtime: ServiceRuntime<RatingsTables>;
  api: RatingsApi;
}

/** Every ratings route, mounted by the kernel at /api/ratings. */
export const ratingsRoutes: FastifyPluginAsync<RatingsRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: RatingsRouteOptions = { runtime, api };
  await app.register(productRoutes, options);
  await app.register(reviewRoutes, options);
  await app.register(moderationRoutes, options);
};
