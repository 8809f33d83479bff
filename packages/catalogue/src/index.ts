import { defineService } from '@shopstack/kernel';
import { createCatalogueApi, inProcessCatalogueClient, type CatalogueApi } from './api.js';
import type { CatalogueClient } from './client.js';
import { HttpCatalogueClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { catalogueRoutes } from './routes/index.js';

export type { CatalogueApi } from './api.js';
export type { CatalogueClient } from './client.js';
export { broadcastCatalogueReload, type CatalogueChange } from './search/catalogue-index.js';
export { catalogueIsEmpty, DEFAULT_SEED, seedCatalogue, type SeedCatalogueResult } from './seed/index.js';

/** Products, variants, categories, search and stock. */
export const catalogueService = defineService<CatalogueApi, CatalogueClient>({
  name: 'catalogue',
  description: 'Products, variants, categories, images, search and stock',
  migrations,
  create: createCatalogueApi,
  routes: catalogueRoutes,
  // The read index is built before the process serves, and stops following changes when it closes.
  start: (api) => api.index.start(),
  stop: (api) => api.index.stop(),
  inProcessClient: inProcessCatalogueClient,
  httpClient: (options) => new HttpCatalogueClient(options),
});
