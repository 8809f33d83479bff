import { getJson } from './processes.js';

const PRODUCTS = '/api/catalogue/products';

interface ProductPage {
  items: Array<{ slug: string; name: string; variants: Array<{ sku: string; inStock: boolean }> }>;
  nextCursor: string | null;
  total: number;
}

interface CategoryNode {
  slug: string;
  productCount: number;
  children: CategoryNode[];
}

/** Words that appear in no product name or description, even with a typo or two. */
const MISSING_TERMS = ['qzxvbw', 'jvkwpq', 'xylqfz', 'wqpzkv', 'zzvqxj', 'kxqvzw', 'pqjzxv', 'vwxqzk'];

export interface Catalogue {
  /** Products the list API reports for the store. */
  total: number;
  /** Names of the products collected, parallel to slugs. */
  names: string[];
  slugs: string[];
  /** SKUs with stock available, one per collected product that has one. */
  skus: string[];
}

/** The SKU of a listed product's first variant with stock available, if any. */
function skuInStock(item: ProductPage['items'][number]): string | undefined {
  return item.variants.find((v) => v.inStock)?.sku;
}

/** Walks the public listing page by page until it has collected `count` products (or run out). */
export async function collectProducts(baseUrl: string, count: number): Promise<Catalogue> {
  const slugs: string[] = [];
  const names: string[] = [];
  const skus: string[] = [];
  let cursor: string | null = null;
  let total = 0;
  do {
    const query = new URLSearchParams({ limit: '100', sort: 'newest' });
    if (cursor) query.set('cursor', cursor);
    const page: ProductPage = await getJson<ProductPage>(`${baseUrl}${PRODUCTS}?${query}`);
    total = page.total;
    for (const item of page.items) {
      if (slugs.length === count) break;
      slugs.push(item.slug);
      names.push(item.name);
      const sku = skuInStock(item);
      if (sku) skus.push(sku);
    }
    cursor = page.nextCursor;
  } while (cursor && slugs.length < count);
  return { total, names, slugs, skus };
}

/** Product pages, one path per collected product. */
export function detailPaths(catalogue: Catalogue): string[] {
  return catalogue.slugs.map((slug) => `${PRODUCTS}/${encodeURIComponent(slug)}`);
}

/** A product page outside the detail rotation: never requested, so not in the read cache yet. */
export async function unrequestedProductPath(baseUrl: string, catalogue: Catalogue): Promise<string> {
  const inRotation = new Set(catalogue.slugs);
  const page = await getJson<ProductPage>(`${baseUrl}${PRODUCTS}?limit=100&sort=price`);
  const slug = page.items.find((item) => !inRotation.has(item.slug))?.slug;
  if (!slug) throw new Error('every product of the cheapest page is in the detail rotation');
  return `${PRODUCTS}/${slug}`;
}

export interface ListRotation {
  paths: string[];
  /** SKUs with stock available of the products on the first pages, one per product that has one. */
  skus: string[];
}

/**
 * Listing pages of 20 as a shop front requests them: several sorts, the whole catalogue and a few
 * categories (a top-level one includes its subcategories), first and second pages.
 */
export async function listPaths(baseUrl: string): Promise<ListRotation> {
  const tree = await getJson<{ items: CategoryNode[] }>(`${baseUrl}/api/catalogue/categories`);
  const populated = (nodes: CategoryNode[]) => nodes.filter((n) => n.productCount > 0);
  const roots = populated(tree.items);
  const leaves = roots.flatMap((root) => populated(root.children)).slice(0, 2);
  const categories: Array<string | undefined> = [
    undefined,
    ...roots.slice(0, 3).map((c) => c.slug),
    ...leaves.map((c) => c.slug),
  ];
  const paths: string[] = [];
  const skus = new Set<string>();
  for (const sort of ['newest', 'price', '-price', 'name']) {
    for (const category of categories) {
      const query = new URLSearchParams({ limit: '20', sort });
      if (category) query.set('category', category);
      const first = `${PRODUCTS}?${query}`;
      paths.push(first);
      const page = await getJson<ProductPage>(baseUrl + first);
      for (const item of page.items) {
        const sku = skuInStock(item);
        if (sku) skus.add(sku);
      }
      if (page.nextCursor) {
        query.set('cursor', page.nextCursor);
        paths.push(`${PRODUCTS}?${query}`);
      }
    }
  }
  return { paths, skus: [...skus] };
}

/**
 * The n-th of a run of listing pages that never repeat: each asks for a different lowest price
 * (minor units), so no two requests of a measurement are the same query.
 */
export function distinctListPath(n: number): string {
  return `${PRODUCTS}?limit=20&minPrice=${n}`;
}

/**
 * Single-word searches: words taken from product names, from the most common to rare ones, plus
 * words found nowhere; returns the paths and how many of the terms find nothing.
 */
export async function searchPaths(
  baseUrl: string,
  catalogue: Catalogue,
  termCount = 50,
): Promise<{ paths: string[]; terms: string[]; termsWithoutHits: number }> {
  const frequency = new Map<string, number>();
  for (const name of catalogue.names) {
    for (const word of name.toLowerCase().split(/[^a-z]+/)) {
      if (word.length >= 4) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  const ranked = [...frequency.entries()].sort((a, b) => b[1] - a[1]).map(([word]) => word);
  const wanted = Math.max(0, termCount - MISSING_TERMS.length);
  // Spread the picks over the ranking so that both broad and narrow searches are measured.
  const step = Math.max(1, ranked.length / Math.max(1, wanted));
  const found: string[] = [];
  for (let i = 0; i < ranked.length && found.length < wanted; i += step) found.push(ranked[Math.floor(i)]!);
  const terms = [...found, ...MISSING_TERMS];

  let termsWithoutHits = 0;
  const paths: string[] = [];
  for (const term of terms) {
    const path = `${PRODUCTS}?${new URLSearchParams({ q: term, limit: '20' })}`;
    const page = await getJson<ProductPage>(baseUrl + path);
    if (page.total === 0) termsWithoutHits++;
    paths.push(path);
  }
  return { paths, terms, termsWithoutHits };
}
