import { sql, type Kysely, type RawBuilder } from 'kysely';
import { STOCK_CAP, type StockExposure } from '../schemas/common.js';
import { PRICE_BUCKETS } from '../schemas/product.js';

/** Filters of a product listing, already normalised (q trimmed and lower-cased, attributes sorted). */
export interface ProductFilters {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  attributes: Array<{ name: string; value: string }>;
}

export type KeysetSort = 'price' | '-price' | 'newest' | 'name';

/** Where a page starts: after a (sort key, id) pair for keyset sorts, at an offset for relevance. */
export type PagePosition =
  | { sort: KeysetSort; after: { key: string | number; id: string } | null }
  | { sort: 'relevance'; offset: number };

export interface ProductPage {
  /** Each item's JSON text, in order. */
  items: string[];
  /** The sort key (as text) and id of the last item, for the next keyset cursor. */
  last: { key: string; id: string } | null;
  hasMore: boolean;
}

export interface CategoryCountRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  description: string;
  product_count: number;
}

interface SortColumn {
  name: string;
  expr: RawBuilder<unknown>;
  descending: boolean;
}

const MAX_INT = 2147483647;

// A cursor holds its timestamp with microseconds, so it compares exactly equal to the stored value
// when it comes back.
const cursorTime = (column: RawBuilder<unknown>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// Timestamps in answers: RFC 3339 UTC with milliseconds, exactly as the staff API writes them
// (Date#toISOString); to_char truncates the microseconds as the database drivers do.
const isoTime = (column: RawBuilder<unknown>) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A variant's stock as shoppers may see it (PublicAvailability), as json_build_object arguments.
 * Built by the database into the cached JSON, so a cached answer has the store's exposure too.
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

const priceKey = (whenUnpriced: number) => sql`coalesce(p.min_price, ${sql.lit(whenUnpriced)})`;

// Each keyset sort: the key expression, its text form for cursors, its SQL type and its direction.
// Products without variants (no price) sort after every priced product in both price orders.
const KEYSET_SORTS: Record<
  KeysetSort,
  { key: RawBuilder<unknown>; text: RawBuilder<unknown>; type: string; descending: boolean }
> = {
  price: { key: priceKey(MAX_INT), text: priceKey(MAX_INT), type: 'int', descending: false },
  '-price': { key: priceKey(-1), text: priceKey(-1), type: 'int', descending: true },
  newest: {
    key: sql`p.created_at`,
    text: cursorTime(sql`p.created_at`),
    type: 'timestamptz',
    descending: true,
  },
  name: { key: sql`p.name`, text: sql`p.name`, type: 'text', descending: false },
};

/** Every SQL statement of the catalogue's public read path. Only published products are ever read. */
export class CatalogueReadRepository {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly db: Kysely<any>,
    private readonly schema: string,
    private readonly stockExposure: StockExposure,
  ) {}

  private table(name: string) {
    return sql.table(`${this.schema}.${name}`);
  }

  /** The WHERE clause shared by a page and its facets, so both always describe the same products. */
  private where(filters: ProductFilters): RawBuilder<unknown> {
    const conditions: RawBuilder<unknown>[] = [sql`p.status = 'published'`];
    const inStock = sql`exists (select 1 from ${this.table('variants')} v where v.product_id = p.id and v.available > 0)`;
    if (filters.q !== undefined) {
      conditions.push(
        sql`(p.search_vector @@ websearch_to_tsquery('english', ${filters.q}::text) or ${filters.q}::text <% p.name)`,
      );
    }
    if (filters.category !== undefined) {
      conditions.push(sql`p.category_id in (
        select d.id from ${this.table('categories')} d
        join ${this.table('categories')} root on starts_with(d.path, root.path)
        where root.id = ${filters.category} or root.slug = ${filters.category})`);
    }
    if (filters.minPrice !== undefined) conditions.push(sql`p.min_price >= ${filters.minPrice}::int`);
    if (filters.maxPrice !== undefined) conditions.push(sql`p.min_price <= ${filters.maxPrice}::int`);
    if (filters.inStock === true) conditions.push(inStock);
    if (filters.inStock === false) conditions.push(sql`not ${inStock}`);
    for (const { name, value } of filters.attributes) {
      conditions.push(sql`exists (select 1 from ${this.table('variants')} v
        where v.product_id = p.id and v.attributes @> ${JSON.stringify({ [name]: value })}::jsonb)`);
    }
    return sql.join(conditions, sql` and `);
  }

  private sortColumns(filters: ProductFilters, sort: PagePosition['sort']): SortColumn[] {
    if (sort === 'relevance') {
      const q = filters.q ?? '';
      return [
        { name: 'exact_match', expr: sql`lower(p.name) = ${q}::text`, descending: true },
        {
          name: 'text_rank',
          expr: sql`ts_rank_cd(p.search_vector, websearch_to_tsquery('english', ${q}::text))`,
          descending: true,
        },
        { name: 'name_similarity', expr: sql`word_similarity(${q}::text, p.name)`, descending: true },
        { name: 'id', expr: sql`p.id`, descending: false },
      ];
    }
    const spec = KEYSET_SORTS[sort];
    return [
      { name: 'sort_key', expr: spec.key, descending: spec.descending },
      { name: 'id', expr: sql`p.id`, descending: spec.descending },
    ];
  }

  /** One page of published products matching the filters, each item already serialized by the database. */
  async productPage(filters: ProductFilters, position: PagePosition, limit: number): Promise<ProductPage> {
    const columns = this.sortColumns(filters, position.sort);
    const order = (alias?: string) =>
      sql.join(
        columns.map(
          (c) =>
            sql`${sql.ref(alias ? `${alias}.${c.name}` : c.name)} ${sql.raw(c.descending ? 'desc' : 'asc')}`,
        ),
      );
    const conditions = [this.where(filters)];
    let offset = 0;
    let cursorKey: RawBuilder<unknown> = sql`null::text`;
    if (position.sort === 'relevance') {
      offset = position.offset;
    } else {
      const spec = KEYSET_SORTS[position.sort];
      cursorKey = sql`(${spec.text})::text`;
      if (position.after) {
        const comparison = sql.raw(spec.descending ? '<' : '>');
        conditions.push(
          sql`(${spec.key}, p.id) ${comparison} (${position.after.key}::${sql.raw(spec.type)}, ${position.after.id}::text)`,
        );
      }
    }
    const selected = sql.join(
      columns.filter((c) => c.name !== 'id').map((c) => sql`${c.expr} as ${sql.ref(c.name)}`),
    );
    const rows = await sql<{ item: string; cursor_key: string | null; id: string }>`
      with page as (
        select p.id, p.slug, p.name, p.category_id, p.images, p.min_price, p.max_price, p.currency,
          ${cursorKey} as cursor_key, ${selected}
        from ${this.table('products')} p
        where ${sql.join(conditions, sql` and `)}
        order by ${order()}
        limit ${limit + 1} offset ${offset}
      )
      select pg.id, pg.cursor_key, json_build_object(
        'id', pg.id,
        'slug', pg.slug,
        'name', pg.name,
        'category', case when c.id is null then null
          else json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) end,
        'image', pg.images -> 0,
        'priceRange', case when pg.min_price is null then null
          else json_build_object('min', pg.min_price, 'max', pg.max_price, 'currency', pg.currency) end,
        'inStock', coalesce(v.in_stock, false),
        'variants', coalesce(v.items, '[]'::json)
      )::text as item
      from page pg
      left join ${this.table('categories')} c on c.id = pg.category_id
      left join lateral (
        select bool_or(v.available > 0) as in_stock, json_agg(json_build_object(
          'id', v.id,
          'sku', v.sku,
          'title', v.title,
          'price', json_build_object('amount', v.price, 'currency', v.currency),
          'compareAtPrice', ${money(sql`v.compare_at_price`, sql`v.currency`)},
          ${availabilityMembers(this.stockExposure, sql`v.available`)},
          'attributes', v.attributes
        ) order by v.position, v.id) as items
        from ${this.table('variants')} v
        where v.product_id = pg.id
      ) v on true
      order by ${order('pg')}`.execute(this.db);
    const items = rows.rows.slice(0, limit);
    const lastRow = items.at(-1);
    return {
      items: items.map((r) => r.item),
      last: lastRow && lastRow.cursor_key !== null ? { key: lastRow.cursor_key, id: lastRow.id } : null,
      hasMore: rows.rows.length > limit,
    };
  }

  /**
   * The total and the facets of every product matching the filters, as the JSON fragment
   * `"total":n,"facets":{...}`. Category counts include subcategories, through the materialized path.
   */
  async facetsFragment(filters: ProductFilters): Promise<string> {
    const buckets = sql.join(PRICE_BUCKETS.map((b) => sql`(${b.min}::int, ${b.max}::int)`));
    const result = await sql<{ total: number; facets: string }>`
      with f as materialized (
        select p.id, p.category_id, p.min_price
        from ${this.table('products')} p
        where ${this.where(filters)}
      ),
      fv as materialized (
        select v.product_id, v.available, v.attributes
        from f
        join ${this.table('variants')} v on v.product_id = f.id
      )
      select (select count(*)::int from f) as total, json_build_object(
        'categories', coalesce((
          select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, 'count', x.n)
            order by x.n desc, c.name, c.id)
          from (
            select a.id, count(*)::int as n
            from f
            join ${this.table('categories')} pc on pc.id = f.category_id
            cross join lateral unnest(string_to_array(trim(both '/' from pc.path), '/')) as a(id)
            group by a.id
          ) x
          join ${this.table('categories')} c on c.id = x.id
        ), '[]'::json),
        'priceRanges', (
          select json_agg(json_build_object('min', b.lo, 'max', b.hi, 'count', b.n) order by b.lo)
          from (
            select b.lo, b.hi, count(f.id)::int as n
            from (values ${buckets}) as b(lo, hi)
            left join f on f.min_price >= b.lo and (b.hi is null or f.min_price < b.hi)
            group by b.lo, b.hi
          ) b
        ),
        'attributes', coalesce((
          select json_agg(json_build_object('name', a.name, 'values', a.vals) order by a.name)
          from (
            select t.name, json_agg(json_build_object('value', t.value, 'count', t.n) order by t.n desc, t.value) as vals
            from (
              select d.name, d.value, count(*)::int as n
              from (
                select distinct fv.product_id, kv.key as name, kv.value
                from fv
                cross join lateral jsonb_each_text(fv.attributes) as kv
              ) d
              group by d.name, d.value
            ) t
            group by t.name
          ) a
        ), '[]'::json),
        'inStock', (select count(*)::int from (select distinct product_id from fv where available > 0) s)
      )::text as facets`.execute(this.db);
    const row = result.rows[0]!;
    return `"total":${Number(row.total)},"facets":${row.facets}`;
  }

  /** A published product by id or slug as the product page's JSON text, or null. */
  async productDetailJson(idOrSlug: string): Promise<string | null> {
    const result = await sql<{ detail: string }>`
      select json_build_object(
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
        'priceRange', case when p.min_price is null then null
          else json_build_object('min', p.min_price, 'max', p.max_price, 'currency', p.currency) end,
        'variants', coalesce((
          select json_agg(json_build_object(
            'id', v.id,
            'sku', v.sku,
            'title', v.title,
            'price', json_build_object('amount', v.price, 'currency', v.currency),
            'compareAtPrice', ${money(sql`v.compare_at_price`, sql`v.currency`)},
            'weightGrams', v.weight_grams,
            'attributes', v.attributes,
            'stock', json_build_object(${availabilityMembers(this.stockExposure, sql`v.available`)})
          ) order by v.position, v.id)
          from ${this.table('variants')} v
          where v.product_id = p.id
        ), '[]'::json),
        'createdAt', ${isoTime(sql`p.created_at`)},
        'updatedAt', ${isoTime(sql`p.updated_at`)}
      )::text as detail
      from ${this.table('products')} p
      left join ${this.table('categories')} c on c.id = p.category_id
      where p.status = 'published' and (p.id = ${idOrSlug} or p.slug = ${idOrSlug})
      order by (p.id = ${idOrSlug}) desc
      limit 1`.execute(this.db);
    return result.rows[0]?.detail ?? null;
  }

  /** Every category with its count of published products, subcategories included, in display order. */
  async categoriesWithCounts(): Promise<CategoryCountRow[]> {
    const result = await sql<CategoryCountRow>`
      with counts as (
        select a.id, count(*)::int as n
        from ${this.table('products')} p
        join ${this.table('categories')} pc on pc.id = p.category_id
        cross join lateral unnest(string_to_array(trim(both '/' from pc.path), '/')) as a(id)
        where p.status = 'published'
        group by a.id
      )
      select c.id, c.parent_id, c.slug, c.name, c.description, coalesce(counts.n, 0)::int as product_count
      from ${this.table('categories')} c
      left join counts on counts.id = c.id
      order by c.position, c.name, c.id`.execute(this.db);
    return result.rows;
  }
}
