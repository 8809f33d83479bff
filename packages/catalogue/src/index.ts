import { defineService } from '@shopstack/kernel';
import { createCatalogueApi, inProcessCatalogueClient, type CatalogueApi } from './api.js';
import type { CatalogueClient } from './client.js';
import { HttpCatalogueClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { catalogueRoutes } from './routes/index.js';
import { seedDemoCatalogue } from './seed/demo.js';
import { PRODUCT_RATING_CHANGED } from './services/product-ratings.js';
import type { CatalogueTables } from './tables.js';

export type { CatalogueApi } from './api.js';
export type { CatalogueClient } from './client.js';
export type { ProductDetail } from './schemas/product.js';
export type { ReservationLineInput, ReservationResult } from './schemas/stock.js';
export { broadcastCatalogueReload, type CatalogueChange } from './search/catalogue-index.js';
export { catalogueIsEmpty, DEFAULT_SEED, seedCatalogue, type SeedCatalogueResult } from './seed/index.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    catalogue: CatalogueClient;
  }
}

/** Products, variants, categories, search and stock. */
export const catalogueService = defineService<CatalogueApi, CatalogueClient, CatalogueTables>({
  name: 'catalogue',
  description: 'Products, variants, categories, images, search and stock',
  migrations,
  create: createCatalogueApi,
  routes: catalogueRoutes,
  // The read index is built before the process serves, and stops following changes when it closes;
  // reservations whose hold ended are released at start and then at every sweep.
  start: async (api) => {
    await api.index.start();
    await api.sweeper.start();
  },
  stop: async (api) => {
    await api.sweeper.stop();
    await api.index.stop();
  },
  seed: seedDemoCatalogue,
  consumers: [
    {
      // Products carry their rating: each announcement newer than the stored one replaces it.
      name: 'catalogue.product-ratings',
      events: [PRODUCT_RATING_CHANGED],
      handle: async (api, ctx, event) => {
        await api.ratings.apply(ctx, event);
      },
    },
  ],
  inProcessClient: inProcessCatalogueClient,
  httpClient: (options) => new HttpCatalogueClient(options),
});
