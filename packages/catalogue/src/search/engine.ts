import type { ProductFacets } from '../schemas/product.js';

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

/** What a search engine knows of one published product: enough to match, filter, sort and count. */
export interface SearchableProduct {
  id: string;
  name: string;
  description: string;
  categoryId: string | null;
  /** Lowest variant price in minor units; null without variants. */
  minPrice: number | null;
  /** Creation time as RFC 3339 UTC with microseconds (sorts as text). */
  createdKey: string;
  inStock: boolean;
  /** Distinct attribute name/value pairs over the product's variants. */
  attributes: Array<[name: string, value: string]>;
}

/** A category as the engine needs it: where it sits in the tree. */
export interface SearchableCategory {
  id: string;
  slug: string;
  name: string;
  /** Ids from the root down to this category, itself included. */
  ancestry: string[];
}

export interface ListingRequest {
  filters: ProductFilters;
  position: PagePosition;
  limit: number;
}

export interface ListingResult {
  /** Ids of the page's products, in order. */
  ids: string[];
  /** Where the next page starts; null on the last page. */
  next: PagePosition | null;
  total: number;
  facets: ProductFacets;
}

/**
 * Search, filters, facets and sorted paging over the published catalogue. It is a derived view,
 * fed by the catalogue from its database and kept current as products change; an engine outside
 * the process (OpenSearch, Meilisearch) can stand behind the same interface.
 */
export interface SearchEngine {
  /**
   * Changes whenever some listing's products, order, total or facets may have changed: a key for
   * listings kept elsewhere. A stock count that changes without emptying or refilling a product
   * leaves it as it is.
   */
  readonly listingVersion: number;
  /** Replaces the category tree (products refer to categories by id). */
  setCategories(categories: readonly SearchableCategory[]): void | Promise<void>;
  /** Adds products, or replaces those already there. */
  upsert(products: readonly SearchableProduct[]): void | Promise<void>;
  remove(ids: readonly string[]): void | Promise<void>;
  list(request: ListingRequest): ListingResult | Promise<ListingResult>;
  /** Published products per category, subcategories included. */
  categoryCounts(): Map<string, number> | Promise<Map<string, number>>;
}
