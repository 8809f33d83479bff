import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { NotFound } from '@shopstack/kernel';
import { STOCK_EXPOSURE_NOTE, problems } from '../schemas/common.js';
import { ProductDetail, ProductListQuery, ProductListResponse, ProductParams } from '../schemas/product.js';
import type { CatalogueRouteOptions } from './index.js';

const JSON_UTF8 = 'application/json; charset=utf-8';
/** Published products may be served from a shared cache for a minute after a change. */
export const PUBLIC_READ_CACHE = 'public, max-age=60';

/** Public product listing, search and product pages (published products only). */
export const productRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/products',
    {
      config: { cacheControl: PUBLIC_READ_CACHE },
      schema: {
        operationId: 'listProducts',
        tags: ['catalogue'],
        summary: 'List and search published products, with facets',
        description:
          'Filters combine with AND. `q` searches names and descriptions (typo-tolerant on names). ' +
          'Facets are computed over the whole filtered result. `sort=relevance` needs `q` (400 otherwise). ' +
          'Pages are cursor based: pass `nextCursor` back as `cursor` with the same filters and sort. ' +
          STOCK_EXPOSURE_NOTE,
        querystring: ProductListQuery,
        response: { 200: ProductListResponse, ...problems(400) },
      },
    },
    async (request, reply) => {
      const body = await api.reader.listJson(request.ctx, request.query);
      return reply.type(JSON_UTF8).send(body as never);
    },
  );

  app.get(
    '/products/:idOrSlug',
    {
      config: { cacheControl: PUBLIC_READ_CACHE },
      schema: {
        operationId: 'getProduct',
        tags: ['catalogue'],
        summary: 'A published product by id or slug',
        description: STOCK_EXPOSURE_NOTE,
        params: ProductParams,
        response: { 200: ProductDetail, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const body = await api.reader.productJson(request.ctx, request.params.idOrSlug);
      if (body === null) throw new NotFound(`No product ${request.params.idOrSlug}.`);
      return reply.type(JSON_UTF8).send(body as never);
    },
  );
};
