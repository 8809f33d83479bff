import { Conflict, newId, type Database } from '@shopstack/kernel';
import { broadcastCatalogueReload } from '../search/catalogue-index.js';
import {
  catalogueRowsExist,
  deleteCatalogueRows,
  insertCategories,
  lockForBulkLoad,
  insertProducts,
  insertVariants,
  type BulkCategory,
  type BulkProduct,
  type BulkVariant,
  analyzeCatalogue,
} from '../repositories/bulk.js';
import { demoCategories, generateProducts, type SeedProduct } from './generator.js';

/** The seed used when none is given: the demo store looks the same on every machine. */
export const DEFAULT_SEED = 20240601;

/** Products generated and written per batch; progress is reported after each. */
const PRODUCTS_PER_BATCH = 1000;

export interface SeedCatalogueOptions {
  products: number;
  currency: string;
  seed?: number;
  /** Deletes the existing catalogue first (in the same transaction); without it, a non-empty catalogue is refused. */
  replace?: boolean;
  /** Called after every batch with the number of products written so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedCatalogueResult {
  categories: number;
  products: number;
  variants: number;
}

/** The rows of one generated product, with fresh ids. */
function toRows(
  product: SeedProduct,
  categoryId: string,
  currency: string,
  createdAt: Date,
): { product: BulkProduct; variants: BulkVariant[] } {
  const id = newId();
  return {
    product: {
      id,
      slug: product.slug,
      name: product.name,
      description: product.description,
      status: product.status,
      categoryId,
      options: product.options,
      images: product.images,
      currency,
      minPrice: product.minPrice,
      maxPrice: product.maxPrice,
      createdAt,
    },
    variants: product.variants.map((v) => ({
      id: newId(),
      productId: id,
      sku: v.sku,
      title: v.title,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      currency,
      weightGrams: v.weightGrams,
      attributes: v.attributes,
      position: v.position,
      onHand: v.onHand,
      createdAt,
    })),
  };
}

function catalogueSchema(database: Database): string {
  return database.schemaFor('catalogue');
}

/**
 * Writes the generated demo catalogue (categories, products, variants with stock) into an empty
 * catalogue, in one transaction: a failed or interrupted seed leaves nothing behind. Once it commits,
 * processes already serving the store are told to reload their catalogue read index.
 * Throws Conflict when the catalogue already holds products or categories, unless `replace` is set.
 */
export async function seedCatalogue(
  database: Database,
  options: SeedCatalogueOptions,
): Promise<SeedCatalogueResult> {
  const result = await writeSeed(database, options);
  await analyzeCatalogue(database.db, catalogueSchema(database));
  // The seed is in either way; a process that misses this message serves the old catalogue until it restarts.
  await broadcastCatalogueReload(database).catch(() => {});
  return result;
}

async function writeSeed(database: Database, options: SeedCatalogueOptions): Promise<SeedCatalogueResult> {
  const schema = catalogueSchema(database);
  const total = options.products;
  return database.db.transaction().execute(async (trx) => {
    await lockForBulkLoad(trx, schema);
    if (options.replace) await deleteCatalogueRows(trx, schema);
    else if (await catalogueRowsExist(trx, schema)) {
      throw new Conflict(
        'The catalogue already holds products or categories; seeding needs an empty catalogue.',
      );
    }
    const categoryIds = new Map<string, { id: string; path: string }>();
    const categories: BulkCategory[] = demoCategories().map((c) => {
      const id = newId();
      const parent = c.parentSlug ? categoryIds.get(c.parentSlug)! : null;
      const path = `${parent?.path ?? '/'}${id}/`;
      categoryIds.set(c.slug, { id, path });
      return {
        id,
        parentId: parent?.id ?? null,
        slug: c.slug,
        name: c.name,
        description: c.description,
        path,
        position: c.position,
      };
    });
    await insertCategories(trx, schema, categories);

    // Creation times step back one minute per product, so "newest first" has a meaningful order.
    const startedAt = Date.now();
    let done = 0;
    let variantCount = 0;
    let products: BulkProduct[] = [];
    let variants: BulkVariant[] = [];
    const flush = async () => {
      await insertProducts(trx, schema, products);
      await insertVariants(trx, schema, variants);
      done += products.length;
      variantCount += variants.length;
      products = [];
      variants = [];
      options.onProgress?.(done, total);
    };

    let index = 0;
    for (const product of generateProducts({
      products: total,
      currency: options.currency,
      seed: options.seed ?? DEFAULT_SEED,
    })) {
      const createdAt = new Date(startedAt - (total - index) * 60_000);
      index++;
      const rows = toRows(product, categoryIds.get(product.categorySlug)!.id, options.currency, createdAt);
      products.push(rows.product);
      variants.push(...rows.variants);
      if (products.length >= PRODUCTS_PER_BATCH) await flush();
    }
    if (products.length) await flush();
    if (total === 0) options.onProgress?.(0, 0);
    return { categories: categories.length, products: done, variants: variantCount };
  });
}

/** True when the catalogue holds no product and no category (a fresh store). */
export async function catalogueIsEmpty(database: Database): Promise<boolean> {
  return !(await catalogueRowsExist(database.db, catalogueSchema(database)));
}
