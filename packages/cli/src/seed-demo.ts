import type { Config, Database } from '@shopstack/kernel';
import { seedCatalogue, type SeedCatalogueResult } from '@shopstack/catalogue';
import { createProgressReporter } from './progress.js';

export interface SeedDemoOptions {
  products: number;
  seed?: number;
  replace?: boolean;
}

/** Seeds the catalogue with generated demo products, reporting progress, and prints a summary. */
export async function seedDemoCatalogue(
  database: Database,
  config: Config,
  options: SeedDemoOptions,
): Promise<SeedCatalogueResult> {
  const started = performance.now();
  const progress = createProgressReporter('Seeding products');
  try {
    const result = await seedCatalogue(database, {
      products: options.products,
      currency: config.store.currency,
      seed: options.seed,
      replace: options.replace,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Seeded ${result.products} products (${result.variants} variants) in ${result.categories} categories in ${seconds} s.`,
    );
    return result;
  } finally {
    progress.stop();
  }
}
