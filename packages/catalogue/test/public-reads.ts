import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ShopApp } from '@shopstack/kernel';
import type { StaffCategory } from '../src/schemas/admin.js';
import type { CategoryTree } from '../src/schemas/category.js';
import type { ProductDetail, ProductListResponse } from '../src/schemas/product.js';
import { staffHeaders } from './staff.js';

/** Reads of the catalogue as shoppers make them, staff writes that must succeed, and polling for reads that change later. */

export type ListParams = Record<string, string | number | boolean | string[] | undefined>;

/** A public GET (or HEAD) under /api/catalogue, with optional headers; the response as it came. */
export function read(shop: ShopApp, url: string, headers: Record<string, string> = {}, method = 'GET') {
  return shop.app.inject({ method: method as 'GET' | 'HEAD', url: `/api/catalogue${url}`, headers });
}

export function listingUrl(params: ListParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return `/products?${search}`;
}

/** One page of GET /products with these parameters; fails unless it is a 200. */
export async function listing(shop: ShopApp, params: ListParams = {}): Promise<ProductListResponse> {
  const res = await read(shop, listingUrl(params));
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ProductListResponse;
}

/** A product page; fails unless it is a 200. */
export async function productPage(shop: ShopApp, idOrSlug: string): Promise<ProductDetail> {
  const res = await read(shop, `/products/${idOrSlug}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ProductDetail;
}

export async function categoryTree(shop: ShopApp): Promise<CategoryTree> {
  const res = await read(shop, '/categories');
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as CategoryTree;
}

/** The ETag of a public read that answers 200. */
export async function entityTag(shop: ShopApp, url: string): Promise<string> {
  const res = await read(shop, url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  assert.equal(typeof res.headers.etag, 'string', `${url} carries no ETag`);
  return res.headers.etag as string;
}

/** A staff call under /api/catalogue that must answer 2xx; its JSON body. */
export async function staffCall<T = unknown>(
  shop: ShopApp,
  method: 'POST' | 'PUT' | 'PATCH',
  url: string,
  payload?: object,
): Promise<T> {
  const res = await shop.app.inject({
    method,
    url: `/api/catalogue${url}`,
    headers: staffHeaders,
    ...(payload === undefined ? {} : { payload }),
  });
  assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

export function createCategory(
  shop: ShopApp,
  spec: { name: string; parentId?: string },
): Promise<StaffCategory> {
  return staffCall<StaffCategory>(shop, 'POST', '/admin/categories', spec);
}

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

/**
 * A made-up word of five syllables (e.g. "kubolevira"). Two of them are practically never one edit
 * apart or a prefix of each other, so a search for one finds only the products named with it.
 */
export function madeUpWord(): string {
  let word = '';
  for (let i = 0; i < 5; i++)
    word += CONSONANTS[randomInt(CONSONANTS.length)]! + VOWELS[randomInt(VOWELS.length)]!;
  return word;
}

/** The word with one consonant in the middle changed: a typo one edit away that stemming leaves alone. */
export function typoOf(word: string): string {
  const other = CONSONANTS[(CONSONANTS.indexOf(word[4]!) + 1) % CONSONANTS.length]!;
  return word.slice(0, 4) + other + word.slice(5);
}

/**
 * Runs `check` every `everyMs` until it passes; after `withinMs` the last failure is thrown. For
 * changes that reach another process asynchronously.
 */
export async function eventually(
  what: string,
  check: () => Promise<void>,
  { withinMs = 5_000, everyMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() >= deadline) {
        if (err instanceof Error) err.message = `${what}: not so within ${withinMs} ms: ${err.message}`;
        throw err;
      }
    }
    await sleep(everyMs);
  }
}
