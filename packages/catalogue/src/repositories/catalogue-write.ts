import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import { lockForBulkLoad } from './bulk.js';
import type {
  CatalogueTables,
  CategoryRow,
  ProductImage,
  ProductOption,
  ProductRow,
  ProductTable,
  VariantRow,
} from '../tables.js';

export type StaffProductRow = Omit<ProductRow, 'search_vector'>;

export interface NewProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductTable['status'];
  category_id: string | null;
  options: ProductOption[];
  images: ProductImage[];
  currency: string;
}

export type ProductChanges = Partial<Omit<NewProduct, 'id' | 'currency'>>;

export interface NewVariant {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  price: number;
  compare_at_price: number | null;
  currency: string;
  weight_grams: number | null;
  attributes: Record<string, string>;
  position: number;
  on_hand: number;
}

export type VariantChanges = Partial<
  Pick<
    NewVariant,
    'sku' | 'title' | 'price' | 'compare_at_price' | 'weight_grams' | 'attributes' | 'position'
  >
>;

export interface NewCategory {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  description: string;
  path: string;
  position: number;
}

export type CategoryChanges = Partial<
  Pick<NewCategory, 'slug' | 'name' | 'description' | 'position' | 'parent_id'>
>;

const productColumns = [
  'id',
  'slug',
  'name',
  'description',
  'status',
  'category_id',
  'options',
  'images',
  'currency',
  'min_price',
  'max_price',
  'created_at',
  'updated_at',
] as const;

const json = (value: unknown) => JSON.stringify(value);

/** Text with LIKE's wildcards (and its escape character) escaped, to match itself literally. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** All SQL of staff writes to products, variants and categories. */
export class CatalogueWriteRepository {
  constructor(
    private readonly uow: UnitOfWork<CatalogueTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  /** This repository as a context sees it: its queries join the context's open transaction. */
  in(ctx: RequestContext): CatalogueWriteRepository {
    return new CatalogueWriteRepository(this.uow, this.schema, ctx);
  }

  private get db(): Kysely<CatalogueTables> {
    return this.uow.db(this.ctx);
  }

  /**
   * Runs work inside a savepoint of the current transaction: if it throws, only its own changes
   * are undone and the error is passed on, so the caller can carry on with the rest.
   */
  async savepoint<T>(name: string, work: () => Promise<T>): Promise<T> {
    await sql`savepoint ${sql.id(name)}`.execute(this.db);
    try {
      const result = await work();
      await sql`release savepoint ${sql.id(name)}`.execute(this.db);
      return result;
    } catch (err) {
      await sql`rollback to savepoint ${sql.id(name)}`.execute(this.db);
      throw err;
    }
  }

  private get q() {
    return this.db.withSchema(this.schema);
  }

  async findProduct(id: string): Promise<StaffProductRow | null> {
    const row = await this.q
      .selectFrom('products')
      .select(productColumns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ?? null;
  }

  async findProductBySlug(slug: string): Promise<StaffProductRow | null> {
    const row = await this.q
      .selectFrom('products')
      .select(productColumns)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Slugs in `table` equal to base or of the form base-<n>, to pick the next free one. */
  async slugsLike(table: 'products' | 'categories', base: string): Promise<Set<string>> {
    const rows = await this.q
      .selectFrom(table)
      .select('slug')
      .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${likeLiteral(base)}-%`)]))
      .execute();
    return new Set(rows.map((r) => r.slug));
  }

  /**
   * Inserts a product; false (and nothing written) when its slug is taken, including by a concurrent
   * transaction that commits first, so callers can pick another slug without aborting theirs.
   */
  async insertProduct(product: NewProduct): Promise<boolean> {
    const row = await this.q
      .insertInto('products')
      .values({ ...product, options: json(product.options), images: json(product.images) })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Applies changes and bumps updated_at; false when no such product exists. */
  async updateProduct(id: string, changes: ProductChanges): Promise<boolean> {
    const { options, images, ...plain } = changes;
    const result = await this.q
      .updateTable('products')
      .set({
        ...plain,
        ...(options !== undefined ? { options: json(options) } : {}),
        ...(images !== undefined ? { images: json(images) } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Recomputes the product's denormalized price range from its variants. */
  async refreshPriceRange(productId: string): Promise<void> {
    const variants = sql.table(`${this.schema}.variants`);
    await this.q
      .updateTable('products')
      .set({
        min_price: sql`(select min(price) from ${variants} where product_id = ${productId})`,
        max_price: sql`(select max(price) from ${variants} where product_id = ${productId})`,
        updated_at: sql`now()`,
      })
      .where('id', '=', productId)
      .execute();
  }

  async listVariants(productId: string): Promise<VariantRow[]> {
    return this.q
      .selectFrom('variants')
      .selectAll()
      .where('product_id', '=', productId)
      .orderBy('position')
      .orderBy('sku')
      .execute();
  }

  async findVariant(id: string): Promise<VariantRow | null> {
    const row = await this.q.selectFrom('variants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ?? null;
  }

  /** Variants that already carry any of these SKUs. */
  async findVariantsBySkus(skus: string[]): Promise<Array<{ id: string; sku: string; product_id: string }>> {
    if (!skus.length) return [];
    return this.q
      .selectFrom('variants')
      .select(['id', 'sku', 'product_id'])
      .where('sku', 'in', skus)
      .execute();
  }

  /** For each of these SKUs that exists, the slug of the product it belongs to. */
  async findVariantOwners(skus: string[]): Promise<Array<{ sku: string; product_slug: string }>> {
    if (!skus.length) return [];
    return this.q
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.product_id')
      .select(['v.sku', 'p.slug as product_slug'])
      .where('v.sku', 'in', skus)
      .execute();
  }

  /**
   * Makes bulk writes of this catalogue (imports, seeding) take turns until the transaction ends:
   * two imports touching the same products in different orders would otherwise deadlock.
   */
  async serializeBulkWrites(): Promise<void> {
    await lockForBulkLoad(this.db, this.schema);
  }

  /**
   * Locks the variant rows of these SKUs in byte order of SKU, the order reservations lock them in, so a
   * bulk write and a reservation never wait on each other in a cycle.
   */
  async lockVariantsBySku(skus: string[]): Promise<void> {
    if (!skus.length) return;
    await this.q
      .selectFrom('variants')
      .select('id')
      .where('sku', 'in', skus)
      .orderBy(sql`sku collate "C"`)
      .forUpdate()
      .execute();
  }

  async insertVariants(variants: NewVariant[]): Promise<void> {
    if (!variants.length) return;
    await this.q
      .insertInto('variants')
      .values(variants.map((v) => ({ ...v, attributes: json(v.attributes) })))
      .execute();
  }

  /** Applies changes and bumps updated_at; false when no such variant exists. */
  async updateVariant(id: string, changes: VariantChanges): Promise<boolean> {
    const { attributes, ...plain } = changes;
    const result = await this.q
      .updateTable('variants')
      .set({
        ...plain,
        ...(attributes !== undefined ? { attributes: json(attributes) } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Sets on hand for an import; false when the variant holds more reserved units than that. */
  async setOnHandById(id: string, onHand: number): Promise<boolean> {
    const result = await this.q
      .updateTable('variants')
      .set({ on_hand: onHand, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('reserved', '<=', onHand)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findCategory(id: string): Promise<CategoryRow | null> {
    const row = await this.q.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
    return row ?? null;
  }

  /** Reads a category and holds a share lock on it, so it cannot move until this transaction ends. */
  async findCategoryForShare(id: string): Promise<CategoryRow | null> {
    const row = await this.q
      .selectFrom('categories')
      .selectAll()
      .where('id', '=', id)
      .forShare()
      .executeTakeFirst();
    return row ?? null;
  }

  async findCategoriesBySlugs(slugs: string[]): Promise<Array<{ id: string; slug: string }>> {
    if (!slugs.length) return [];
    return this.q.selectFrom('categories').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  }

  /**
   * Blocks other writers of the category tree (not readers) until this transaction ends, so two
   * moves cannot each pass the cycle check against a tree the other is changing.
   */
  async lockCategoryTree(): Promise<void> {
    await sql`lock table ${sql.table(`${this.schema}.categories`)} in exclusive mode`.execute(this.db);
  }

  /** Inserts a category; false (and nothing written) when its slug is taken, as for insertProduct. */
  async insertCategory(category: NewCategory): Promise<boolean> {
    const row = await this.q
      .insertInto('categories')
      .values(category)
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async updateCategory(id: string, changes: CategoryChanges): Promise<boolean> {
    const result = await this.q
      .updateTable('categories')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Rewrites the path of a category and of everything below it from one prefix to another. */
  async repath(oldPrefix: string, newPrefix: string): Promise<void> {
    await this.q
      .updateTable('categories')
      .set({
        path: sql`${newPrefix}::text || substr(path, ${oldPrefix.length + 1})`,
        updated_at: sql`now()`,
      })
      .where('path', 'like', `${likeLiteral(oldPrefix)}%`)
      .execute();
  }
}
