import type {
  Insertable,
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { newId, type ShopApp } from '@shopstack/kernel';
import type { CatalogueApi } from '../src/api.js';
import type {
  CatalogueTables,
  ProductImage,
  ProductOption,
  ProductTable,
  VariantTable,
} from '../src/tables.js';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/**
 * Writes made behind the catalogue's back must tell its read index, as any outside writer does
 * (see broadcastCatalogueReload): after each write statement, the index reloads before it resolves.
 */
class ReloadIndexAfterWrites implements KyselyPlugin {
  private readonly writes = new WeakSet<object>();

  constructor(private readonly api: CatalogueApi) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (WRITES.has(node.kind)) this.writes.add(queryId);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(queryId)) await this.api.index.refresh({ all: true });
    return result;
  }
}

/**
 * The catalogue tables of a test app, written directly so read tests do not depend on the staff
 * API. A write through it reloads the app's catalogue read index before it resolves.
 */
export function catalogueDb(shop: ShopApp): Kysely<CatalogueTables> {
  const db = (shop.database.db as Kysely<CatalogueTables>).withSchema(shop.database.schemaFor('catalogue'));
  const api = shop.apis.get('catalogue') as CatalogueApi | undefined;
  return api ? db.withPlugin(new ReloadIndexAfterWrites(api)) : db;
}

/** Reloads a test app's catalogue read index, as a change message from another process would. */
export async function reloadCatalogueIndex(shop: ShopApp): Promise<void> {
  await (shop.apis.get('catalogue') as CatalogueApi).index.refresh({ all: true });
}

export interface TestCategory {
  id: string;
  slug: string;
  name: string;
  path: string;
}

let sequence = 0;
const slugOf = (name: string) =>
  `${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${++sequence}`;

/** Inserts a category under an optional parent; its path is the parent's path plus its own id. */
export async function addCategory(
  shop: ShopApp,
  spec: { name: string; slug?: string; parent?: TestCategory; position?: number; description?: string },
): Promise<TestCategory> {
  const id = newId();
  const category = {
    id,
    slug: spec.slug ?? slugOf(spec.name),
    name: spec.name,
    path: `${spec.parent?.path ?? '/'}${id}/`,
  };
  await catalogueDb(shop)
    .insertInto('categories')
    .values({
      ...category,
      parent_id: spec.parent?.id ?? null,
      position: spec.position ?? 0,
      description: spec.description ?? '',
    })
    .execute();
  return category;
}

export interface TestVariantSpec {
  price: number;
  onHand?: number;
  reserved?: number;
  attributes?: Record<string, string>;
  compareAtPrice?: number;
  weightGrams?: number;
  title?: string;
}

export interface TestProductSpec {
  name: string;
  slug?: string;
  description?: string;
  status?: 'draft' | 'published' | 'archived';
  category?: TestCategory;
  variants?: TestVariantSpec[];
  options?: ProductOption[];
  images?: ProductImage[];
  createdAt?: Date;
}

export interface TestProduct {
  id: string;
  slug: string;
  name: string;
  variantIds: string[];
}

/** Inserts products with their variants (published with one 1000-unit variant unless told otherwise). */
export async function addProducts(shop: ShopApp, specs: TestProductSpec[]): Promise<TestProduct[]> {
  const products: Insertable<ProductTable>[] = [];
  const variants: Insertable<VariantTable>[] = [];
  const created: TestProduct[] = [];
  for (const spec of specs) {
    const id = newId();
    const slug = spec.slug ?? slugOf(spec.name);
    const variantSpecs = spec.variants ?? [{ price: 1000, onHand: 5 }];
    const prices = variantSpecs.map((v) => v.price);
    products.push({
      id,
      slug,
      name: spec.name,
      description: spec.description ?? '',
      status: spec.status ?? 'published',
      category_id: spec.category?.id ?? null,
      options: JSON.stringify(spec.options ?? []),
      images: JSON.stringify(spec.images ?? [{ url: `/api/catalogue/images/${slug}-1.svg`, alt: spec.name }]),
      currency: 'EUR',
      min_price: prices.length ? Math.min(...prices) : null,
      max_price: prices.length ? Math.max(...prices) : null,
      ...(spec.createdAt ? { created_at: spec.createdAt, updated_at: spec.createdAt } : {}),
    });
    const variantIds: string[] = [];
    variantSpecs.forEach((v, position) => {
      const variantId = newId();
      variantIds.push(variantId);
      variants.push({
        id: variantId,
        product_id: id,
        sku: `${slug}-${position}`.toUpperCase(),
        title: v.title ?? Object.values(v.attributes ?? {}).join(' / '),
        price: v.price,
        compare_at_price: v.compareAtPrice ?? null,
        currency: 'EUR',
        weight_grams: v.weightGrams ?? null,
        attributes: JSON.stringify(v.attributes ?? {}),
        position,
        on_hand: v.onHand ?? 0,
        reserved: v.reserved ?? 0,
      });
    });
    created.push({ id, slug, name: spec.name, variantIds });
  }
  const db = catalogueDb(shop);
  // Chunks keep each statement well under the 65535 bind parameters PostgreSQL allows.
  for (let i = 0; i < products.length; i += 500) {
    await db
      .insertInto('products')
      .values(products.slice(i, i + 500))
      .execute();
  }
  for (let i = 0; i < variants.length; i += 1000) {
    await db
      .insertInto('variants')
      .values(variants.slice(i, i + 1000))
      .execute();
  }
  return created;
}

/** Inserts one product; see addProducts. */
export async function addProduct(shop: ShopApp, spec: TestProductSpec): Promise<TestProduct> {
  const [product] = await addProducts(shop, [spec]);
  return product!;
}
