import { InvalidParameter, type Cache, type RequestContext } from '@shopstack/kernel';
import type { ProductDetail, ProductListQuery, ProductSort } from '../schemas/product.js';
import type { CatalogueIndex, ProductDocument } from '../search/catalogue-index.js';
import type {
  KeysetSort,
  ListingRequest,
  ListingResult,
  PagePosition,
  ProductFilters,
} from '../search/engine.js';

/** Cache namespace of listings as the engine answered them. */
const LISTINGS = 'catalogue-listings';

interface KeptListing {
  ids: string[];
  next: string | null;
  total: number;
  /** ProductFacets as JSON text. */
  facets: string;
}

/** A listing as one string: next cursor, total, facets and ids on lines of their own (none holds a line break). */
function encodeListing(result: ListingResult): string {
  let next = '';
  if (result.next?.sort === 'relevance') {
    next = encodeCursor({ s: 'relevance', o: result.next.offset });
  } else if (result.next?.after) {
    next = encodeCursor({ s: result.next.sort, k: result.next.after.key, id: result.next.after.id });
  }
  return [next, String(result.total), JSON.stringify(result.facets), ...result.ids].join('\n');
}

function decodeListing(text: string): KeptListing {
  const [next, total, facets, ...ids] = text.split('\n');
  return { ids, next: next || null, total: Number(total), facets: facets! };
}

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

/**
 * The public read side of the catalogue: published products, search with facets, and the category
 * tree, all answered from the catalogue's read index in memory (see CatalogueIndex); the database
 * is not on this path. Answers are JSON text built from documents the index already holds.
 */
export class ProductReader {
  constructor(
    readonly index: CatalogueIndex,
    private readonly cache: Cache,
  ) {}

  /** A published product by id or slug, or null. */
  async getProduct(ctx: RequestContext, idOrSlug: string): Promise<ProductDetail | null> {
    const doc = this.product(ctx, idOrSlug);
    return doc === null ? null : (JSON.parse(doc.detail) as ProductDetail);
  }

  /** A published product's documents by id or slug, or null. */
  product(_ctx: RequestContext, idOrSlug: string): ProductDocument | null {
    return this.index.product(idOrSlug);
  }

  /** The entity tag every listing and the category tree carry now: it changes with any catalogue change. */
  get listingTag(): string {
    return this.index.listingTag;
  }

  /**
   * Checks a listing query and puts it in canonical form; throws InvalidParameter for a sort or
   * cursor that does not fit. Done before anything else, conditional answers included.
   */
  listingRequest(_ctx: RequestContext, query: ProductListQuery): ListingRequest {
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
    return { filters, position, limit: query.limit };
  }

  /**
   * One page of a product listing or search, with its total and facets, as JSON text. What the
   * engine answers (ids, next page, total, facets) is kept in the response cache under the index's
   * listing key; the products' documents are joined in at every read, so a stock count that
   * changes shows at once without throwing any kept listing away.
   */
  async listJson(ctx: RequestContext, query: ProductListQuery | ListingRequest): Promise<string> {
    const request = 'filters' in query ? query : this.listingRequest(ctx, query);
    const key = `${this.index.listingKey}:${JSON.stringify(request)}`;
    const compute = async () => encodeListing(await this.index.list(request));
    let listing = decodeListing(await this.cache.wrap(LISTINGS, key, compute));
    let items = this.index.summaries(listing.ids);
    if (items === null) {
      // A product left between keying and reading: answer from the index as it is now.
      listing = decodeListing(await compute());
      items = this.index.summaries(listing.ids) ?? [];
    }
    return `{"items":[${items.join(',')}],"nextCursor":${listing.next === null ? 'null' : `"${listing.next}"`},"total":${listing.total},"facets":${listing.facets}}`;
  }

  /** The category tree with published product counts, as JSON text. */
  categoriesJson(_ctx: RequestContext): Promise<string> {
    return this.index.categoriesJson();
  }
}
