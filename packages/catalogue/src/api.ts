import type { ServiceRuntime } from '@shopstack/kernel';
import { CatalogueReadRepository } from './repositories/catalogue-read.js';
import { CatalogueIndex } from './search/catalogue-index.js';
import { CatalogueAdmin } from './services/catalogue-admin.js';
import { ProductReader } from './services/product-reader.js';
import { ProductRatingSync } from './services/product-ratings.js';
import { ReservationSweeper } from './services/reservation-sweeper.js';
import { StockRepository } from './repositories/stock.js';
import { StockService } from './services/stock.js';
import { VariantLookupService } from './services/variant-lookup.js';
import type { CatalogueClient } from './client.js';
import type { CatalogueTables } from './tables.js';

/** The catalogue's domain API in one process: reads (from the read index), staff writes, and stock. */
export interface CatalogueApi {
  reader: ProductReader;
  admin: CatalogueAdmin;
  stock: StockService;
  variants: VariantLookupService;
  /** The published catalogue in memory; built by start(), kept current by every write. */
  index: CatalogueIndex;
  /** Releases reservations whose hold ended; started by start(), stopped by stop(). */
  sweeper: ReservationSweeper;
  /** Products' ratings, kept from the ratings service's ProductRatingChanged events. */
  ratings: ProductRatingSync;
}

export function createCatalogueApi(runtime: ServiceRuntime<CatalogueTables>): CatalogueApi {
  const index = new CatalogueIndex(
    new CatalogueReadRepository(runtime.db, runtime.schema, runtime.config.catalogue.stockExposure),
    runtime.database,
    runtime.logger,
  );
  // A write answers once the read index shows it, so the writer's next read sees its change.
  const changed = index.changed.bind(index);
  const reader = new ProductReader(index, runtime.cache);
  const stock = new StockService(runtime, changed);
  return {
    reader,
    variants: new VariantLookupService(new StockRepository(runtime.uow, runtime.schema), reader),
    admin: new CatalogueAdmin(runtime, changed),
    stock,
    index,
    sweeper: new ReservationSweeper(stock, runtime),
    ratings: new ProductRatingSync(runtime, changed),
  };
}

export function inProcessCatalogueClient(api: CatalogueApi): CatalogueClient {
  return {
    getProduct: (ctx, idOrSlug) => api.reader.getProduct(ctx, idOrSlug),
    findVariant: (ctx, ref) => api.variants.lookup(ctx, ref),
    reserveStock: (ctx, orderRef, lines, options) =>
      api.stock.reserve(ctx, {
        orderRef,
        lines,
        ...(options?.holdSeconds === undefined ? {} : { holdSeconds: options.holdSeconds }),
      }),
    releaseStock: (ctx, orderRef) => api.stock.release(ctx, orderRef),
    commitStock: (ctx, orderRef) => api.stock.commit(ctx, orderRef),
    restockStock: (ctx, orderRef) => api.stock.restock(ctx, orderRef),
    getReservation: (ctx, orderRef) => api.stock.getReservation(ctx, orderRef),
  };
}
