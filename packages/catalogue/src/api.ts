import type { ServiceRuntime } from '@shopstack/kernel';
import { CatalogueAdmin } from './services/catalogue-admin.js';
import { ProductReader } from './services/product-reader.js';
import { StockService } from './services/stock.js';
import type { CatalogueClient } from './client.js';

/** The catalogue's domain API in one process: reads (cached), staff writes, and stock. */
export interface CatalogueApi {
  reader: ProductReader;
  admin: CatalogueAdmin;
  stock: StockService;
}

export const CACHE_NAMESPACE = 'catalogue';

export function createCatalogueApi(runtime: ServiceRuntime): CatalogueApi {
  // Any write that changes what shoppers see drops every cached catalogue read at once.
  const invalidate = () => runtime.cache.invalidate(CACHE_NAMESPACE);
  return {
    reader: new ProductReader(runtime),
    admin: new CatalogueAdmin(runtime, invalidate),
    stock: new StockService(runtime, invalidate),
  };
}

export function inProcessCatalogueClient(api: CatalogueApi): CatalogueClient {
  return {
    getProduct: (ctx, idOrSlug) => api.reader.getProduct(ctx, idOrSlug),
    reserveStock: (ctx, orderRef, lines) => api.stock.reserve(ctx, { orderRef, lines }),
    releaseStock: (ctx, orderRef) => api.stock.release(ctx, orderRef),
    commitStock: (ctx, orderRef) => api.stock.commit(ctx, orderRef),
  };
}
