import { sql, type Kysely, type RawBuilder } from 'kysely';
import { STOCK_CAP, type StockExposure } from '../schemas/common.js';
import type { CatalogueTables } from '../tables.js';

/** What the read index holds of one published product, as the database assembles it. */
export interface IndexedProductRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  category_id: string | null;
  min_price: number | null;
  /** created_at as RFC 3339 UTC with microseconds: the newest-first sort key, exact to the database. */
  created_key: string;
  /** The product as a listing shows it (ProductSummary), as JSON text. */
  summary: string;
  /** The product page (ProductDetail), as JSON text. */
  detail: string;
  /** `[[attributes, inStock], ...]` per variant, as JSON text: what facets and filters need. */
  variant_facts: string;
}

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  description: string;
  path: string;
  position: number;
}

// A cursor holds its timestamp with microseconds, so it compares exactly equal to the stored value.
const cursorTime = (column: RawBuilder<unknown>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// Timestamps in answers: RFC 3339 UTC with milliseconds, exactly as the staff API writes them
// (Date#toISOString); to_char truncates the microseconds as the database drivers do.
const isoTime = (column: RawBuilder<unknown>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A variant's stock as shoppers may see it (PublicAvailability), as json_build_object arguments.
 * Built by the database into the indexed JSON, so every answer has the store's exposure.
 */
function availabilityMembers(exposure: StockExposure, available: RawBuilder<unknown>): RawBuilder<unknown> {
  const units = sql`greatest(${available}, 0)`;
  const cap = sql.lit(STOCK_CAP);
  switch (exposure) {
    case 'exact':
      return sql`'inStock', ${available} > 0, 'available', ${units}, 'moreAvailable', false`;
    case 'capped':
      return sql`'inStock', ${available} > 0, 'available', least(${units}, ${cap}), 'moreAvailable', ${available} > ${cap}`;
    case 'status':
      return sql`'inStock', ${available} > 0`;
  }
}

const money = (amount: RawBuilder<unknown>, currency: RawBuilder<unknown>) =>
  sql`case when ${amount} is null then null else json_build_object('amount', ${amount}, 'currency', ${currency}) end`;

// What a listing and a product page say alike of a variant and of the product's price range.
const variantBasics = sql`
  'id', v.id,
  'sku', v.sku,
  'title', v.title,
  'price', json_build_object('amount', v.price, 'currency', v.currency),
  'compareAtPrice', ${money(sql`v.compare_at_price`, sql`v.currency`)}`;
// The product's rating as the ratings service last announced it; zeros before any review.
const rating = sql`json_build_object('average', coalesce(r.average, 0)::float8, 'count', coalesce(r.count, 0))`;
const priceRange = sql`case when p.min_price is null then null
  else json_build_object('min', p.min_price, 'max', p.max_price, 'currency', p.currency) end`;

/** Rows per statement of a full load: bounds the memory one statement's result takes. */
const LOAD_BATCH = 2_000;

/**
 * The SQL that feeds the catalogue's read index: published products with their listing and page
 * JSON built by the database, and the category tree. Only published products are ever read.
 */
export class CatalogueReadRepository {
  constructor(
    private readonly db: Kysely<CatalogueTables>,
    private readonly schema: string,
    private readonly stockExposure: StockExposure,
  ) {}

  private table(name: string) {
    return sql.table(`${this.schema}.${name}`);
  }

  /** Every published product, in batches of LOAD_BATCH ordered by id. */
  async *allPublished(): AsyncGenerator<IndexedProductRow[]> {
    let after = '';
    for (;;) {
      const rows = await this.select(sql`p.id > ${after}`, LOAD_BATCH);
      if (rows.length) yield rows;
      if (rows.length < LOAD_BATCH) return;
      after = rows.at(-1)!.id;
    }
  }

  /** The published products among these ids (the others are drafts, archived or gone). */
  async published(ids: readonly string[]): Promise<IndexedProductRow[]> {
    if (ids.length === 0) return [];
    return this.select(sql`p.id = any(${[...ids]}::text[])`, ids.length);
  }

  /** Ids of the products filed under these categories or below them. */
  async productsUnder(categoryIds: readonly string[]): Promise<string[]> {
    if (categoryIds.length === 0) return [];
    const rows = await sql<{ id: string }>`
      select p.id from ${this.table('products')} p
      join ${this.table('categories')} c on c.id = p.category_id
      where exists (select 1 from unnest(string_to_array(trim(both '/' from c.path), '/')) a(id)
        where a.id = any(${[...categoryIds]}::text[]))`.execute(this.db);
    return rows.rows.map((r) => r.id);
  }

  /** Every category in display order (position, name, id). */
  async categories(): Promise<CategoryRow[]> {
    const result = await sql<CategoryRow>`
      select id, parent_id, slug, name, description, path, position
      from ${this.table('categories')}
      order by position, name, id`.execute(this.db);
    return result.rows;
  }

  private async select(condition: RawBuilder<unknown>, limit: number): Promise<IndexedProductRow[]> {
    const variant = (fields: RawBuilder<unknown>) => sql`coalesce((
      select json_agg(json_build_object(${fields}) order by v.position, v.id)
      from ${this.table('variants')} v where v.product_id = p.id), '[]'::json)`;
    const result = await sql<IndexedProductRow>`
      select p.id, p.slug, p.name, p.description, p.category_id, p.min_price,
        ${cursorTime(sql`p.created_at`)} as created_key,
        json_build_object(
          'id', p.id,
          'slug', p.slug,
          'name', p.name,
          'category', case when c.id is null then null
            else json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) end,
          'image', p.images -> 0,
          'priceRange', ${priceRange},
          'inStock', exists (select 1 from ${this.table('variants')} v where v.product_id = p.id and v.available > 0),
          'variants', ${variant(sql`
            ${variantBasics},
            ${availabilityMembers(this.stockExposure, sql`v.available`)},
            'attributes', v.attributes`)},
          'rating', ${rating}
        )::text as summary,
        json_build_object(
          'id', p.id,
          'slug', p.slug,
          'name', p.name,
          'description', p.description,
          'status', p.status,
          'category', case when c.id is null then null else json_build_object(
            'id', c.id,
            'slug', c.slug,
            'name', c.name,
            'breadcrumb', (
              select coalesce(json_agg(json_build_object('id', a.id, 'slug', a.slug, 'name', a.name) order by x.depth), '[]'::json)
              from unnest(string_to_array(trim(both '/' from c.path), '/')) with ordinality as x(id, depth)
              join ${this.table('categories')} a on a.id = x.id
              where a.id <> c.id
            )
          ) end,
          'options', p.options,
          'images', p.images,
          'priceRange', ${priceRange},
          'variants', ${variant(sql`
            ${variantBasics},
            'weightGrams', v.weight_grams,
            'attributes', v.attributes,
            'stock', json_build_object(${availabilityMembers(this.stockExposure, sql`v.available`)})`)},
          'rating', ${rating},
          'createdAt', ${isoTime(sql`p.created_at`)},
          'updatedAt', ${isoTime(sql`p.updated_at`)}
        )::text as detail,
        coalesce((select json_agg(json_build_array(v.attributes, v.available > 0))
          from ${this.table('variants')} v where v.product_id = p.id), '[]'::json)::text as variant_facts
      from ${this.table('products')} p
      left join ${this.table('categories')} c on c.id = p.category_id
      left join ${this.table('product_ratings')} r on r.product_id = p.id
      where p.status = 'published' and ${condition}
      order by p.id
      limit ${limit}`.execute(this.db);
    return result.rows;
  }
}
