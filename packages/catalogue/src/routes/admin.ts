import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, STAFF, problemResponses, bearerSecurity } from '@shopstack/kernel';
import {
  AdjustStockInput,
  CreateCategoryInput,
  CreateProductInput,
  CreateVariantInput,
  IdParams,
  SetStockInput,
  StaffCategory,
  StaffProduct,
  StaffProductListQuery,
  StaffProductPage,
  StaffVariant,
  UpdateCategoryInput,
  UpdateProductInput,
  UpdateVariantInput,
} from '../schemas/admin.js';
import { LowStockList, LowStockQuery, SkuParams, StockLevel } from '../schemas/stock.js';
import type { CatalogueRouteOptions } from './index.js';

/**
 * Staff endpoints for products, variants, categories and stock levels. The staff check runs on
 * request, before the body is parsed or validated, so anonymous callers learn nothing from 400s.
 */
export const adminRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage the catalogue');
  const tags = ['catalogue-admin'];
  const security = bearerSecurity;

  app.post(
    '/admin/products',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateProduct',
        tags,
        security,
        summary: 'Create a product with its variants',
        description:
          'The slug is made from the name when missing. Prices must be in the store currency. Status is draft unless given.',
        body: CreateProductInput,
        response: {
          201: StaffProduct,
          ...problemResponses({
            409: ['slug_taken', 'sku_taken', 'sku_repeated', 'conflict'],
            422: ['currency_mismatch', 'category_not_found'],
          }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await api.admin.createProduct(request.ctx, request.body)),
  );

  app.get(
    '/admin/products',
    {
      onRequest,
      schema: {
        operationId: 'adminListProducts',
        tags,
        security,
        summary: 'List products in any status, newest first',
        querystring: StaffProductListQuery,
        response: { 200: StaffProductPage },
      },
    },
    async (request) => api.admin.listProductsForStaff(request.ctx, request.query),
  );

  app.get(
    '/admin/products/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminGetProduct',
        tags,
        security,
        summary: 'A product in any status, with stock per variant',
        params: IdParams,
        response: { 200: StaffProduct, ...problemResponses({ 404: ['product_not_found'] }) },
      },
    },
    async (request) => api.admin.getProductForStaff(request.ctx, request.params.id),
  );

  app.patch(
    '/admin/products/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateProduct',
        tags,
        security,
        summary: "Change a product's own fields",
        params: IdParams,
        body: UpdateProductInput,
        response: {
          200: StaffProduct,
          ...problemResponses({
            404: ['product_not_found'],
            409: ['slug_taken', 'conflict'],
            422: ['category_not_found'],
          }),
        },
      },
    },
    async (request) => api.admin.updateProduct(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/admin/products/:id/archive',
    {
      onRequest,
      schema: {
        operationId: 'adminArchiveProduct',
        tags,
        security,
        summary: 'Withdraw a product from sale',
        params: IdParams,
        response: { 200: StaffProduct, ...problemResponses({ 404: ['product_not_found'] }) },
      },
    },
    async (request) => api.admin.archiveProduct(request.ctx, request.params.id),
  );

  app.post(
    '/admin/products/:id/variants',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateVariant',
        tags,
        security,
        summary: 'Add a variant to a product',
        params: IdParams,
        body: CreateVariantInput,
        response: {
          201: StaffVariant,
          ...problemResponses({
            404: ['product_not_found'],
            409: ['sku_taken', 'conflict'],
            422: ['currency_mismatch'],
          }),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await api.admin.addVariant(request.ctx, request.params.id, request.body)),
  );

  app.patch(
    '/admin/variants/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateVariant',
        tags,
        security,
        summary: 'Change a variant (price, SKU, attributes, ...); stock has its own endpoint',
        params: IdParams,
        body: UpdateVariantInput,
        response: {
          200: StaffVariant,
          ...problemResponses({
            404: ['variant_not_found'],
            409: ['sku_taken', 'conflict'],
            422: ['currency_mismatch'],
          }),
        },
      },
    },
    async (request) => api.admin.updateVariant(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/admin/categories',
    {
      onRequest,
      schema: {
        operationId: 'adminCreateCategory',
        tags,
        security,
        summary: 'Create a category',
        body: CreateCategoryInput,
        response: {
          201: StaffCategory,
          ...problemResponses({ 409: ['slug_taken', 'conflict'], 422: ['category_not_found'] }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await api.admin.createCategory(request.ctx, request.body)),
  );

  app.get(
    '/admin/categories/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminGetCategory',
        tags,
        security,
        summary: 'A category with its materialized path',
        params: IdParams,
        response: { 200: StaffCategory, ...problemResponses({ 404: ['category_not_found'] }) },
      },
    },
    async (request) => api.admin.getCategoryForStaff(request.ctx, request.params.id),
  );

  app.patch(
    '/admin/categories/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminUpdateCategory',
        tags,
        security,
        summary: 'Rename or move a category',
        description:
          'Setting parentId moves the category with everything below it; a move below itself is refused (409).',
        params: IdParams,
        body: UpdateCategoryInput,
        response: {
          200: StaffCategory,
          ...problemResponses({
            404: ['category_not_found'],
            409: ['slug_taken', 'category_cycle', 'conflict'],
            422: ['category_not_found'],
          }),
        },
      },
    },
    async (request) => api.admin.updateCategory(request.ctx, request.params.id, request.body),
  );

  app.get(
    '/admin/stock',
    {
      onRequest,
      schema: {
        operationId: 'adminListLowStock',
        tags,
        security,
        summary: 'Variants running low: fewer units available than `below`, fewest first',
        description: 'Variants of archived products are left out.',
        querystring: LowStockQuery,
        response: { 200: LowStockList },
      },
    },
    async (request) => api.stock.listLowStock(request.ctx, request.query),
  );

  app.get(
    '/admin/stock/:sku',
    {
      onRequest,
      schema: {
        operationId: 'adminGetStock',
        tags,
        security,
        summary: 'Units on hand, reserved and available for a SKU',
        params: SkuParams,
        response: { 200: StockLevel, ...problemResponses({ 404: ['sku_not_found'] }) },
      },
    },
    async (request) => api.stock.getStockLevel(request.ctx, request.params.sku),
  );

  app.put(
    '/admin/stock/:sku',
    {
      onRequest,
      schema: {
        operationId: 'adminSetStock',
        tags,
        security,
        summary: 'Set the units on hand of a SKU (after a count)',
        description: 'Refused (409) below the units currently reserved.',
        params: SkuParams,
        body: SetStockInput,
        response: {
          200: StockLevel,
          ...problemResponses({
            404: ['sku_not_found'],
            409: ['stock_below_zero', 'stock_above_maximum', 'stock_reserved'],
          }),
        },
      },
    },
    async (request) => api.stock.setStock(request.ctx, request.params.sku, request.body),
  );

  app.post(
    '/admin/stock/:sku/adjust',
    {
      onRequest,
      schema: {
        operationId: 'adminAdjustStock',
        tags,
        security,
        summary: 'Add or remove units on hand atomically (deliveries, write-offs)',
        description:
          'Refused (409) when the result would drop below the units currently reserved or rise above 1,000,000,000.',
        params: SkuParams,
        body: AdjustStockInput,
        response: {
          200: StockLevel,
          ...problemResponses({
            404: ['sku_not_found'],
            409: ['stock_below_zero', 'stock_above_maximum', 'stock_reserved'],
          }),
        },
      },
    },
    async (request) => api.stock.adjustStock(request.ctx, request.params.sku, request.body),
  );
};
