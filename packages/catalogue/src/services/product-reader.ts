import { InvalidParameter, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { CACHE_NAMESPACE } from '../api.js';
import {
  CatalogueReadRepository,
  type CategoryCountRow,
  type KeysetSort,
  type PagePosition,
  type ProductFilters,
} from '../repositories/catalogue-read.js';
import type { CategoryNode } from '../schemas/category.js';
import type { StockExposure } from '../schemas/common.js';
import type { ProductDetail, ProductListQuery, ProductSort } from '../schemas/product.js';

// What a cursor holds: the sort it belongs to plus the last (key, id) seen, or the next offset.
type CursorData = { s: KeysetSort; k: string | number; id: string } | { s: 'relevance'; o: number };

const CURSOR_TEXT = /^[A-Za-z0-9_-]+$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const MAX_OFFSET = 1_000_000;

function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

/** The pattern alone admits month 13 or year 0, which PostgreSQL refuses with an error. */
function realTimestamp(text: string): boolean {
  const millis = text.slice(0, 23);
  const date = new Date(`${millis}Z`);
  return (
    !Number.isNaN(date.getTime()) && date.getUTCFullYear() >= 1 && date.toISOString().slice(0, 23) === millis
  );
}

function validKey(sort: KeysetSort, key: unknown): key is string | number {
  if (sort === 'price' || sort === '-price')
    return Number.isInteger(key) && Math.abs(key as number) <= 2147483647;
  if (sort === 'newest') return typeof key === 'string' && ISO_MICROS.test(key) && realTimestamp(key);
  // PostgreSQL text cannot hold U+0000.
  return typeof key === 'string' && key.length <= 1000 && !key.includes('\u0000');
}

/** The page position a cursor stands for, or null when it is malformed or belongs to another sort. */
function decodeCursor(cursor: string, sort: ProductSort): PagePosition | null {
  if (!CURSOR_TEXT.test(cursor)) return null;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const fields = data as Record<string, unknown>;
  if (fields.s !== sort) return null;
  if (sort === 'relevance') {
    const offset = fields.o;
    return Number.isInteger(offset) && (offset as number) > 0 && (offset as number) <= MAX_OFFSET
      ? { sort, offset: offset as number }
      : null;
  }
  if (typeof fields.id !== 'string' || !ID.test(fields.id) || !validKey(sort, fields.k)) return null;
  return { sort, after: { key: fields.k, id: fields.id } };
}

/** Filters in one canonical form: equal listings get equal cache keys whatever the parameter order. */
function normaliseFilters(query: ProductListQuery): ProductFilters {
  const q = query.q?.trim().replace(/\s+/g, ' ').toLowerCase();
  const attributes = [...new Set(query.attr ?? [])].sort().map((pair) => {
    const colon = pair.indexOf(':');
    return { name: pair.slice(0, colon), value: pair.slice(colon + 1) };
  });
  return {
    q: q || undefined,
    category: query.category,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    inStock: query.inStock,
    attributes,
  };
}

function buildTree(rows: CategoryCountRow[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      productCount: Number(row.product_count),
      children: [],
    });
  }
  const roots: CategoryNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/**
 * The public read side of the catalogue: published products, search with facets, and the category
 * tree. Every answer is built as JSON text by one database round trip and cached as that text, so a
 * cache hit is sent without parsing or serializing anything.
 */
export class ProductReader {
  private readonly repository: CatalogueReadRepository;

  /** Stock in answers depends on the store's exposure setting: keys carry it, so no cache can mix two. */
  private readonly exposure: StockExposure;

  constructor(private readonly runtime: ServiceRuntime) {
    this.exposure = runtime.config.catalogue.stockExposure;
    this.repository = new CatalogueReadRepository(runtime.db, runtime.schema, this.exposure);
  }

  /** A published product by id or slug, or null. */
  async getProduct(ctx: RequestContext, idOrSlug: string): Promise<ProductDetail | null> {
    const json = await this.productJson(ctx, idOrSlug);
    return json === null ? null : (JSON.parse(json) as ProductDetail);
  }

  /** A published product by id or slug as JSON text, or null. */
  async productJson(_ctx: RequestContext, idOrSlug: string): Promise<string | null> {
    // Misses are cached too (as ''), so repeated requests for a missing product stay off the database.
    const json = await this.runtime.cache.wrap(
      CACHE_NAMESPACE,
      `product:${this.exposure}:${idOrSlug}`,
      async () => compactJson((await this.repository.productDetailJson(idOrSlug)) ?? ''),
    );
    return json === '' ? null : json;
  }

  /** One page of a product listing or search, with its total and facets, as JSON text. */
  async listJson(_ctx: RequestContext, query: ProductListQuery): Promise<string> {
    const filters = normaliseFilters(query);
    const sort: ProductSort = query.sort ?? (filters.q === undefined ? 'newest' : 'relevance');
    if (sort === 'relevance' && filters.q === undefined) {
      throw new InvalidParameter('sort', 'relevance needs a search query (q)');
    }
    const position: PagePosition | null =
      query.cursor === undefined
        ? sort === 'relevance'
          ? { sort, offset: 0 }
          : { sort, after: null }
        : decodeCursor(query.cursor, sort);
    if (!position) throw new InvalidParameter('cursor', 'is not a cursor of this listing and sort');

    const filterKey = JSON.stringify(filters);
    const key = `list:${this.exposure}:${filterKey}:${sort}:${query.limit}:${query.cursor ?? ''}`;
    return this.runtime.cache.wrap(CACHE_NAMESPACE, key, async () => {
      // The total and facets do not depend on the page, so every page of a listing shares them.
      const [page, summary] = await Promise.all([
        this.repository.productPage(filters, position, query.limit),
        this.runtime.cache.wrap(CACHE_NAMESPACE, `facets:${filterKey}`, () =>
          this.repository.facetsFragment(filters),
        ),
      ]);
      let next: string | null = null;
      if (page.hasMore && position.sort === 'relevance') {
        next = encodeCursor({ s: 'relevance', o: position.offset + query.limit });
      } else if (page.hasMore && page.last && position.sort !== 'relevance') {
        const isPrice = position.sort === 'price' || position.sort === '-price';
        next = encodeCursor({
          s: position.sort,
          k: isPrice ? Number(page.last.key) : page.last.key,
          id: page.last.id,
        });
      }
      return compactJson(
        `{"items":[${page.items.join(',')}],"nextCursor":${next === null ? 'null' : `"${next}"`},${summary}}`,
      );
    });
  }

  /** The category tree with published product counts, as JSON text. */
  async categoriesJson(_ctx: RequestContext): Promise<string> {
    return this.runtime.cache.wrap(CACHE_NAMESPACE, 'categories', async () =>
      JSON.stringify({ items: buildTree(await this.repository.categoriesWithCounts()) }),
    );
  }
}

/**
 * The database writes JSON with spaces around every colon; re-serializing once, when an entry is
 * cached, makes every response built from it about a fifth smaller.
 */
function compactJson(json: string): string {
  return json === '' ? json : JSON.stringify(JSON.parse(json));
}
