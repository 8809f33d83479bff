import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { CategoryTree } from '../schemas/category.js';
import type { CatalogueRouteOptions } from './index.js';
import { PUBLIC_READ_CACHE } from './products.js';

/** The public category tree. */
export const categoryRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/categories',
    {
      config: { cacheControl: PUBLIC_READ_CACHE },
      schema: {
        operationId: 'listCategories',
        tags: ['catalogue'],
        summary: 'The category tree with counts of published products (subcategories included)',
        response: { 200: CategoryTree },
      },
    },
    async (request, reply) => {
      const body = await api.reader.categoriesJson(request.ctx);
      return reply
        .header('etag', api.reader.listingTag)
        .type('application/json; charset=utf-8')
        .send(body as never);
    },
  );
};
