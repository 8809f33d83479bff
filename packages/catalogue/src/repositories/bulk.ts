import { sql, type QueryExecutorProvider } from 'kysely';
import type { ProductImage, ProductOption } from '../tables.js';

/**
 * The SQL of bulk loading. Each statement inserts up to ROWS_PER_STATEMENT rows as one
 * `insert ... select * from unnest($1::text[], $2::int[], ...)`: one array parameter per column
 * rather than one parameter per value, so a statement never nears Postgres' 65535-parameter limit,
 * and the server parses and plans it about twice as fast as the same rows spelled out in VALUES.
 */

export const ROWS_PER_STATEMENT = 1000;

export interface BulkCategory {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  description: string;
  path: string;
  position: number;
}

export interface BulkProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: 'draft' | 'published' | 'archived';
  categoryId: string | null;
  options: ProductOption[];
  images: ProductImage[];
  currency: string;
  minPrice: number;
  maxPrice: number;
  createdAt: Date;
}

export interface BulkVariant {
  id: string;
  productId: string;
  sku: string;
  title: string;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  weightGrams: number | null;
  attributes: Record<string, string>;
  position: number;
  onHand: number;
  createdAt: Date;
}

/** Bulk loads run raw SQL against whichever schema they are given: no table types are needed. */
type AnyDb = QueryExecutorProvider;

/** A column of a bulk insert: its name, its Postgres element type and how to read it from a row. */
interface Column<T> {
  name: string;
  type: 'text' | 'integer' | 'jsonb' | 'timestamptz';
  value: (row: T) => string | number | null;
}

async function insertRows<T>(
  db: AnyDb,
  table: string,
  columns: Array<Column<T>>,
  rows: readonly T[],
): Promise<void> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays = sql.join(columns.map((c) => sql`${chunk.map(c.value)}::${sql.raw(c.type)}[]`));
    await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${arrays})`.execute(db);
  }
}

const iso = (date: Date) => date.toISOString();

/** Inserts categories; parents must come before their children. */
export async function insertCategories(
  db: AnyDb,
  schema: string,
  rows: readonly BulkCategory[],
): Promise<void> {
  await insertRows<BulkCategory>(
    db,
    `${schema}.categories`,
    [
      { name: 'id', type: 'text', value: (c) => c.id },
      { name: 'parent_id', type: 'text', value: (c) => c.parentId },
      { name: 'slug', type: 'text', value: (c) => c.slug },
      { name: 'name', type: 'text', value: (c) => c.name },
      { name: 'description', type: 'text', value: (c) => c.description },
      { name: 'path', type: 'text', value: (c) => c.path },
      { name: 'position', type: 'integer', value: (c) => c.position },
    ],
    rows,
  );
}

/** Inserts products. */
export async function insertProducts(db: AnyDb, schema: string, rows: readonly BulkProduct[]): Promise<void> {
  await insertRows<BulkProduct>(
    db,
    `${schema}.products`,
    [
      { name: 'id', type: 'text', value: (p) => p.id },
      { name: 'slug', type: 'text', value: (p) => p.slug },
      { name: 'name', type: 'text', value: (p) => p.name },
      { name: 'description', type: 'text', value: (p) => p.description },
      { name: 'status', type: 'text', value: (p) => p.status },
      { name: 'category_id', type: 'text', value: (p) => p.categoryId },
      { name: 'options', type: 'jsonb', value: (p) => JSON.stringify(p.options) },
      { name: 'images', type: 'jsonb', value: (p) => JSON.stringify(p.images) },
      { name: 'currency', type: 'text', value: (p) => p.currency },
      { name: 'min_price', type: 'integer', value: (p) => p.minPrice },
      { name: 'max_price', type: 'integer', value: (p) => p.maxPrice },
      { name: 'created_at', type: 'timestamptz', value: (p) => iso(p.createdAt) },
      { name: 'updated_at', type: 'timestamptz', value: (p) => iso(p.createdAt) },
    ],
    rows,
  );
}

/** Inserts variants with their stock. */
export async function insertVariants(db: AnyDb, schema: string, rows: readonly BulkVariant[]): Promise<void> {
  await insertRows<BulkVariant>(
    db,
    `${schema}.variants`,
    [
      { name: 'id', type: 'text', value: (v) => v.id },
      { name: 'product_id', type: 'text', value: (v) => v.productId },
      { name: 'sku', type: 'text', value: (v) => v.sku },
      { name: 'title', type: 'text', value: (v) => v.title },
      { name: 'price', type: 'integer', value: (v) => v.price },
      { name: 'compare_at_price', type: 'integer', value: (v) => v.compareAtPrice },
      { name: 'currency', type: 'text', value: (v) => v.currency },
      { name: 'weight_grams', type: 'integer', value: (v) => v.weightGrams },
      { name: 'attributes', type: 'jsonb', value: (v) => JSON.stringify(v.attributes) },
      { name: 'position', type: 'integer', value: (v) => v.position },
      { name: 'on_hand', type: 'integer', value: (v) => v.onHand },
      { name: 'created_at', type: 'timestamptz', value: (v) => iso(v.createdAt) },
      { name: 'updated_at', type: 'timestamptz', value: (v) => iso(v.createdAt) },
    ],
    rows,
  );
}

/** Counts what the catalogue holds. */
export async function countCatalogue(
  db: AnyDb,
  schema: string,
): Promise<{ categories: number; products: number; variants: number }> {
  const t = (name: string) => sql.table(`${schema}.${name}`);
  const { rows } = await sql<{ categories: number; products: number; variants: number }>`
    select (select count(*)::int from ${t('categories')}) as categories,
           (select count(*)::int from ${t('products')}) as products,
           (select count(*)::int from ${t('variants')}) as variants`.execute(db);
  return rows[0]!;
}

/**
 * Serializes bulk loads of one schema until the transaction ends, so two processes seeding one new
 * store at once (several workers starting together) take turns instead of colliding.
 */
export async function lockForBulkLoad(db: AnyDb, schema: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`shopstack-bulk-load:${schema}`}))`.execute(db);
}

/** True when the catalogue holds any product or category. */
export async function catalogueRowsExist(db: AnyDb, schema: string): Promise<boolean> {
  const t = (name: string) => sql.table(`${schema}.${name}`);
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from ${t('products')}) or exists (select 1 from ${t('categories')}) as found`.execute(
    db,
  );
  return rows[0]!.found;
}

/** Deletes every category, product, variant and reservation of the catalogue. */
export async function deleteCatalogueRows(db: AnyDb, schema: string): Promise<void> {
  const t = (name: string) => sql.table(`${schema}.${name}`);
  // cascade also empties any later table of this schema that references these (never another schema's).
  await sql`truncate ${t('reservation_lines')}, ${t('reservations')}, ${t('variants')}, ${t('products')}, ${t('categories')} cascade`.execute(
    db,
  );
}

/** Refreshes the planner's statistics after a bulk load, so the first queries on it are planned well. */
export async function analyzeCatalogue(db: AnyDb, schema: string): Promise<void> {
  for (const table of ['categories', 'products', 'variants']) {
    await sql`analyze ${sql.table(`${schema}.${table}`)}`.execute(db);
  }
}
