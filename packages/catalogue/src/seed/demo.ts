import {
  Conflict,
  InvalidInput,
  type RequestContext,
  type SeedOptions,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { CatalogueApi } from '../api.js';
import type { CatalogueTables } from '../tables.js';
import { catalogueIsEmpty, DEFAULT_SEED, seedCatalogue } from './writer.js';

/**
 * The catalogue's part of a demo store: generated products in categories. A catalogue that holds
 * data is left alone on a new store's start (`ifEmpty`) and refused otherwise unless `reset`.
 */
export async function seedDemoCatalogue(
  api: CatalogueApi,
  ctx: RequestContext,
  options: SeedOptions,
  runtime: ServiceRuntime<CatalogueTables>,
): Promise<void> {
  const { database } = runtime;
  if (!options.reset && !(await catalogueIsEmpty(database))) {
    if (options.ifEmpty) return;
    throw new InvalidInput(
      `The catalogue of store "${runtime.store.id}" already holds data. Run "shopstack seed --reset" to replace it ` +
        '(this deletes every category, product, variant and reservation of the store).',
      'reset',
    );
  }
  options.report(`New store: seeding the demo catalogue with ${options.products} products...`);
  const started = performance.now();
  try {
    const result = await seedCatalogue(database, {
      products: options.products,
      currency: runtime.store.currency,
      seed: options.seed ?? DEFAULT_SEED,
      replace: options.reset,
      onProgress: (done, total) => options.progress?.('Seeding products', done, total),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    options.report(
      `Seeded ${result.products} products (${result.variants} variants) in ${result.categories} categories in ${seconds} s.`,
    );
  } catch (err) {
    // Another process starting on the same new store seeded it first: its catalogue serves us too.
    if (!(err instanceof Conflict) || !options.ifEmpty) throw err;
    options.report('The catalogue was seeded by another process meanwhile.');
  }
  // This process's read index shows the new catalogue before the store serves.
  await api.index.refresh({ all: true });
  ctx.log.info({ products: options.products }, 'demo catalogue seeded');
}
