import { PRICE_BUCKETS, type ProductFacets } from '../schemas/product.js';
import type {
  KeysetSort,
  ListingRequest,
  ListingResult,
  PagePosition,
  ProductFilters,
  SearchableCategory,
  SearchableProduct,
  SearchEngine,
} from './engine.js';
import { FacetColumns } from './facet-columns.js';
import { TextIndex, words } from './text-index.js';

const MAX_INT = 2147483647;
const NAME_WEIGHT = 1;
const DESCRIPTION_WEIGHT = 0.2;
const NO_CATEGORY = -1;

/** Code-point order: the same everywhere, and the order cursors compare in. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Category {
  id: string;
  slug: string;
  name: string;
  /** Ordinals from the root down to this category, itself included. */
  ancestry: Int32Array;
}

/** One slot per product: the columns filters, sorts and facets read, as flat arrays. */
interface Slot {
  id: string;
  name: string;
  /** The name as a query is normalised: lower-cased, words single-spaced. */
  nameKey: string;
  nameWords: number;
  description: string;
  categoryId: string | null;
  price: number | null;
  createdKey: string;
  terms: string[];
}

/**
 * The built-in search engine: the published catalogue in this process's memory. A listing scans
 * the products in the requested order once, counting facets as it goes, so its cost grows with the
 * catalogue (about a millisecond per 30,000 products) and not with how many filter combinations
 * are asked for. Text search goes through an inverted index first and scans only its matches.
 */
export class MemorySearchEngine implements SearchEngine {
  private slots: Array<Slot | undefined> = [];
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly text = new TextIndex();
  private categories: Category[] = [];
  private readonly categoryOrdinal = new Map<string, number>();
  private readonly attributeIds = new Map<string, number>();
  private readonly attributePairs: Array<[string, string]> = [];
  private orders = new Map<KeysetSort, Int32Array>();
  private readonly columns = new FacetColumns();
  listingVersion = 0;

  setCategories(categories: readonly SearchableCategory[]): void {
    this.categoryOrdinal.clear();
    categories.forEach((c, i) => this.categoryOrdinal.set(c.id, i));
    this.categories = categories.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      ancestry: Int32Array.from(
        c.ancestry.map((id) => this.categoryOrdinal.get(id)).filter((o): o is number => o !== undefined),
      ),
    }));
    this.slots.forEach((slot, index) => {
      if (slot) this.columns.setCategory(index, this.ordinalOf(slot.categoryId));
    });
    this.listingVersion++;
  }

  upsert(products: readonly SearchableProduct[]): void {
    for (const product of products) {
      const existing = this.byId.get(product.id);
      const previous = existing === undefined ? undefined : this.slots[existing];
      const index = existing ?? this.free.pop() ?? this.slots.length;
      const sameText =
        previous !== undefined &&
        previous.name === product.name &&
        previous.description === product.description;
      if (previous && !sameText) this.text.remove(index, previous.terms);
      const terms = sameText
        ? previous.terms
        : this.text.add(index, [
            { text: product.name, weight: NAME_WEIGHT },
            { text: product.description, weight: DESCRIPTION_WEIGHT },
          ]);
      const nameWords = words(product.name);
      this.slots[index] = {
        id: product.id,
        name: product.name,
        nameKey: nameWords.join(' '),
        nameWords: nameWords.length,
        description: product.description,
        categoryId: product.categoryId,
        price: product.minPrice,
        createdKey: product.createdKey,
        terms,
      };
      const attributes = [...new Set(product.attributes.map(([n, v]) => this.attributeId(n, v)))];
      const reordered =
        !previous ||
        previous.price !== product.minPrice ||
        previous.name !== product.name ||
        previous.createdKey !== product.createdKey;
      // Stock counts that change without emptying or refilling a product leave every listing as it was.
      const sameListings =
        !reordered &&
        sameText &&
        previous.categoryId === product.categoryId &&
        this.columns.stock[index] === (product.inStock ? 1 : 0) &&
        this.columns.sameAttributes(index, attributes);
      this.columns.set(index, {
        category: this.ordinalOf(product.categoryId),
        price: product.minPrice ?? 0,
        bucket: priceBucketOf(product.minPrice),
        inStock: product.inStock,
        attributes,
      });
      this.byId.set(product.id, index);
      if (reordered) this.orders.clear();
      if (!sameListings) this.listingVersion++;
    }
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const index = this.byId.get(id);
      if (index === undefined) continue;
      this.text.remove(index, this.slots[index]!.terms);
      this.slots[index] = undefined;
      this.columns.clear(index);
      this.listingVersion++;
      this.byId.delete(id);
      this.free.push(index);
      this.orders.clear();
    }
  }

  categoryCounts(): Map<string, number> {
    const counts = new Int32Array(this.categories.length);
    this.slots.forEach((slot, index) => {
      const category = this.columns.category[index]!;
      if (slot && category !== NO_CATEGORY) for (const c of this.categories[category]!.ancestry) counts[c]!++;
    });
    return new Map(this.categories.map((c, i) => [c.id, counts[i]!]));
  }

  list({ filters, position, limit }: ListingRequest): ListingResult {
    const matches = this.matcher(filters);
    const facets = new FacetCounter(this.columns, this.categories.length, this.attributePairs.length);
    const page: number[] = [];
    let total = 0;

    if (position.sort === 'relevance') {
      const scores = filters.q === undefined ? null : this.text.search(filters.q);
      const ranked: number[] = [];
      for (const [index] of scores ?? []) {
        if (!matches(index)) continue;
        ranked.push(index);
        facets.add(index);
      }
      total = ranked.length;
      const exact = words(filters.q ?? '').join(' ');
      const key = (index: number) => (this.slots[index]!.nameKey === exact ? 1 : 0);
      ranked.sort((a, b) => {
        const sa = this.slots[a]!;
        const sb = this.slots[b]!;
        return (
          key(b) - key(a) ||
          scores!.get(b)! - scores!.get(a)! ||
          sa.nameWords - sb.nameWords ||
          compareText(sa.id, sb.id)
        );
      });
      page.push(...ranked.slice(position.offset, position.offset + limit + 1));
    } else {
      // Totals and facets in storage order (memory read in sequence), then the page in sort order,
      // which stops as soon as it has one product more than the page holds.
      const scores = filters.q === undefined ? null : this.text.search(filters.q);
      if (scores) {
        for (const [index] of scores) {
          if (!matches(index)) continue;
          total++;
          facets.add(index);
        }
      } else {
        const slots = this.slots;
        for (let index = 0; index < slots.length; index++) {
          if (slots[index] === undefined || !matches(index)) continue;
          total++;
          facets.add(index);
        }
      }
      const order = this.order(position.sort);
      const start = position.after ? this.positionAfter(position.sort, order, position.after) : 0;
      for (let i = start; i < order.length && page.length <= limit; i++) {
        const index = order[i]!;
        if ((scores === null || scores.has(index)) && matches(index)) page.push(index);
      }
    }

    const hasMore = page.length > limit;
    const shown = page.slice(0, limit);
    let next: PagePosition | null = null;
    if (hasMore && position.sort === 'relevance') {
      next = { sort: 'relevance', offset: position.offset + limit };
    } else if (hasMore && position.sort !== 'relevance') {
      const last = this.slots[shown.at(-1)!]!;
      next = { sort: position.sort, after: { key: sortKey(position.sort, last), id: last.id } };
    }
    return {
      ids: shown.map((index) => this.slots[index]!.id),
      next,
      total,
      facets: facets.toFacets(this.categories, this.attributePairs),
    };
  }

  /** A predicate for every filter but the text query (which selects candidates beforehand). */
  private matcher(filters: ProductFilters): (index: number) => boolean {
    let category: number | undefined;
    if (filters.category !== undefined) {
      category = this.categoryOrdinal.get(filters.category);
      if (category === undefined) {
        const bySlug = this.categories.findIndex((c) => c.slug === filters.category);
        // An unknown category matches nothing.
        category = bySlug >= 0 ? bySlug : -2;
      }
    }
    const attributes: number[] = [];
    for (const { name, value } of filters.attributes) {
      attributes.push(this.attributeIds.get(`${name}\u0000${value}`) ?? -1);
    }
    const { minPrice, maxPrice, inStock } = filters;
    // Categories under the filter's, as a lookup by ordinal.
    const within = new Uint8Array(this.categories.length);
    if (category !== undefined && category >= 0) {
      this.categories.forEach((c, ordinal) => {
        if (c.ancestry.includes(category!)) within[ordinal] = 1;
      });
    }
    const columns = this.columns;
    const wantStock = inStock === undefined ? -1 : inStock ? 1 : 0;
    return (index) => {
      if (category !== undefined) {
        const own = columns.category[index]!;
        if (own < 0 || within[own] === 0) return false;
      }
      if (minPrice !== undefined || maxPrice !== undefined) {
        if (columns.bucket[index]! < 0) return false;
        const price = columns.price[index]!;
        if (minPrice !== undefined && price < minPrice) return false;
        if (maxPrice !== undefined && price > maxPrice) return false;
      }
      if (wantStock >= 0 && columns.stock[index] !== wantStock) return false;
      for (let i = 0; i < attributes.length; i++)
        if (!columns.hasAttribute(index, attributes[i]!)) return false;
      return true;
    };
  }

  /** The products in a keyset sort's order, built when first asked for after a change. */
  private order(sort: KeysetSort): Int32Array {
    let order = this.orders.get(sort);
    if (order) return order;
    const indexes: number[] = [];
    this.slots.forEach((slot, index) => {
      if (slot) indexes.push(index);
    });
    const compare = comparator(sort);
    indexes.sort((a, b) => compare(this.slots[a]!, sortKey(sort, this.slots[b]!), this.slots[b]!.id));
    order = Int32Array.from(indexes);
    this.orders.set(sort, order);
    return order;
  }

  /** The position of the first product that comes after (key, id) in the sort's order. */
  private positionAfter(sort: KeysetSort, order: Int32Array, after: { key: string | number; id: string }) {
    const compare = comparator(sort);
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compare(this.slots[order[mid]!]!, after.key, after.id) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private ordinalOf(categoryId: string | null): number {
    return categoryId === null ? NO_CATEGORY : (this.categoryOrdinal.get(categoryId) ?? NO_CATEGORY);
  }

  private attributeId(name: string, value: string): number {
    const key = `${name}\u0000${value}`;
    let id = this.attributeIds.get(key);
    if (id === undefined) {
      id = this.attributePairs.length;
      this.attributePairs.push([name, value]);
      this.attributeIds.set(key, id);
    }
    return id;
  }
}

function priceBucketOf(price: number | null): number {
  if (price === null) return -1;
  return PRICE_BUCKETS.findIndex((b) => price >= b.min && (b.max === null || price < b.max));
}

/** A product's key in a keyset sort; products without a price sort after every priced one. */
function sortKey(sort: KeysetSort, slot: Slot): string | number {
  switch (sort) {
    case 'price':
      return slot.price ?? MAX_INT;
    case '-price':
      return slot.price ?? -1;
    case 'newest':
      return slot.createdKey;
    case 'name':
      return slot.name;
  }
}

/** Compares a product with a (key, id) position in the sort's order: negative when it comes first. */
function comparator(sort: KeysetSort): (slot: Slot, key: string | number, id: string) => number {
  const descending = sort === '-price' || sort === 'newest';
  return (slot, key, id) => {
    const own = sortKey(sort, slot);
    const byKey = typeof own === 'number' ? own - (key as number) : compareText(own, key as string);
    const result = byKey || compareText(slot.id, id);
    return descending ? -result : result;
  };
}

/** Facet counts of one listing, gathered product by product. */
class FacetCounter {
  private readonly categories: Int32Array;
  private readonly attributes: Int32Array;
  private readonly prices = new Int32Array(PRICE_BUCKETS.length);
  private inStock = 0;

  constructor(
    private readonly columns: FacetColumns,
    categoryCount: number,
    attributeCount: number,
  ) {
    this.categories = new Int32Array(categoryCount);
    this.attributes = new Int32Array(attributeCount);
  }

  // The hottest loop of a listing: indexed loops only (an iterator per product costs more than the counting).
  add(index: number): void {
    const columns = this.columns;
    // Counted per category here, rolled up to the ancestors once in toFacets.
    const category = columns.category[index]!;
    if (category !== NO_CATEGORY) this.categories[category]!++;
    const bucket = columns.bucket[index]!;
    if (bucket >= 0) this.prices[bucket]!++;
    const start = columns.attributeStart[index]!;
    const end = start + columns.attributeCount[index]!;
    const pool = columns.pool;
    for (let i = start; i < end; i++) this.attributes[pool[i]!]!++;
    if (columns.stock[index] === 1) this.inStock++;
  }

  toFacets(categories: readonly Category[], pairs: ReadonlyArray<[string, string]>): ProductFacets {
    const rolledUp = new Int32Array(categories.length);
    this.categories.forEach((count, ordinal) => {
      if (count) for (const ancestor of categories[ordinal]!.ancestry) rolledUp[ancestor]! += count;
    });
    const categoryFacets: ProductFacets['categories'] = [];
    rolledUp.forEach((count, ordinal) => {
      if (!count) return;
      const c = categories[ordinal]!;
      categoryFacets.push({ id: c.id, slug: c.slug, name: c.name, count });
    });
    categoryFacets.sort(
      (a, b) => b.count - a.count || compareText(a.name, b.name) || compareText(a.id, b.id),
    );

    const byName = new Map<string, Array<{ value: string; count: number }>>();
    this.attributes.forEach((count, id) => {
      if (!count) return;
      const [name, value] = pairs[id]!;
      let values = byName.get(name);
      if (!values) byName.set(name, (values = []));
      values.push({ value, count });
    });
    const attributeFacets = [...byName.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([name, values]) => ({
        name,
        values: values.sort((a, b) => b.count - a.count || compareText(a.value, b.value)),
      }));

    return {
      categories: categoryFacets,
      priceRanges: PRICE_BUCKETS.map((bucket, b) => ({
        min: bucket.min,
        max: bucket.max,
        count: this.prices[b]!,
      })),
      attributes: attributeFacets,
      inStock: this.inStock,
    };
  }
}
