import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ifNoneMatchMatches, NotFound, problemResponses } from '@shopstack/kernel';
import { STOCK_EXPOSURE_NOTE } from '../schemas/common.js';
import { ProductDetail, ProductListQuery, ProductListResponse, ProductParams } from '../schemas/product.js';
import type { CatalogueRouteOptions } from './index.js';

const JSON_UTF8 = 'application/json; charset=utf-8';
/** The answer to a conditional read whose If-None-Match holds the current entity tag: no body. */
const NotModified = Type.Null({
  description: 'Not modified: the entity tag sent in If-None-Match is current',
});

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
        response: { 200: ProductListResponse, 304: NotModified },
      },
    },
    async (request, reply) => {
      // A query that would be refused is refused whatever If-None-Match says (RFC 9110, 13.2.1).
      const listing = api.reader.listingRequest(request.ctx, request.query);
      // Every listing's tag changes with any change to the catalogue, so a match needs no listing built.
      const etag = api.reader.listingTag;
      reply.header('etag', etag);
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      const body = await api.reader.listJson(request.ctx, listing);
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
        response: {
          200: ProductDetail,
          304: NotModified,
          ...problemResponses({ 404: ['product_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      const product = api.reader.product(request.ctx, request.params.idOrSlug);
      if (product === null)
        throw new NotFound(`No product ${request.params.idOrSlug}.`, { code: 'product_not_found' });
      // The kernel answers 304 when If-None-Match matches this tag.
      return reply
        .header('etag', product.etag)
        .type(JSON_UTF8)
        .send(product.detail as never);
    },
  );
};
