import type { FastifyPluginAsync } from 'fastify';
import type { ServiceRuntime } from '@shopstack/kernel';
import type { CatalogueApi } from '../api.js';
import type { CatalogueTables } from '../tables.js';
import { adminRoutes } from './admin.js';
import { categoryRoutes } from './categories.js';
import { imageRoutes } from './images.js';
import { importRoutes } from './import.js';
import { productRoutes } from './products.js';
import { stockRoutes } from './stock.js';
import { uploadRoutes } from './uploads.js';

export interface CatalogueRouteOptions {
  runtime: ServiceRuntime<CatalogueTables>;
  api: CatalogueApi;
}

/** Every catalogue route, mounted by the kernel at /api/catalogue. */
export const catalogueRoutes: FastifyPluginAsync<CatalogueRouteOptions> = async (app, { runtime, api }) => {
  // Fastify passes this plugin its own prefix among the options; handing that on would mount every route twice.
  const options: CatalogueRouteOptions = { runtime, api };
  await app.register(productRoutes, options);
  await app.register(categoryRoutes, options);
  await app.register(imageRoutes, options);
  await app.register(adminRoutes, options);
  await app.register(importRoutes, options);
  await app.register(stockRoutes, options);
  await app.register(uploadRoutes, options);
};
