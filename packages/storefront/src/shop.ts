import type { ReactNode } from 'react';
import type { ApiClient, ResponseOf } from '@shopstack/api-client';

/** What the storefront knows about the store it shows (sent by the server with every page). */
export interface StoreInfo {
  name: string;
  currency: string;
  locale: string;
  /** The store's public origin, e.g. https://shop.example; canonical URLs are built on it. */
  origin: string;
  /** The country shipping is quoted for before the customer gives an address. */
  defaultCountry: string;
  /** Top-level categories, for the navigation. */
  nav: Array<{ name: string; slug: string }>;
}

export type ProductDetail = ResponseOf<'getProduct'>;
export type ProductListing = ResponseOf<'listProducts'>;
export type ProductSummary = ProductListing['items'][number];
export type Category = ResponseOf<'listCategories'>['items'][number];
export type Cart = ResponseOf<'getCart'>;
export type Order = ResponseOf<'getMyOrder'>;
export type Rating = ResponseOf<'getProductRating'>;
export type ReviewPage = ResponseOf<'listProductReviews'>;

/** Tags of a page's <head>: the server writes them into the HTML; the browser updates them on navigation. */
export interface Head {
  title: string;
  description?: string;
  /** Path of the canonical URL, e.g. /p/trail-jacket; the origin is added. */
  canonicalPath?: string;
  image?: string;
  /** Open Graph type: website or product. */
  type?: 'website' | 'product';
  /** schema.org data, written as JSON-LD. */
  jsonLd?: Record<string, unknown>;
  /** Pages that people should not find through search engines (cart, checkout, account). */
  noIndex?: boolean;
}

export interface LoadContext {
  api: ApiClient;
  params: Record<string, string | undefined>;
  search: URLSearchParams;
  store: StoreInfo;
}

/** What a page's loader answers: its data, its head tags and, for a page that is not there, 404. */
export interface PageLoad<Data> {
  data: Data;
  head: Head;
  status?: number;
}

export interface PageProps<Data> {
  data: Data;
  params: Record<string, string | undefined>;
  search: URLSearchParams;
}

/** A page module: its component and, when the page is rendered on the server, the loader of its data. */
export interface PageModule<Data = unknown> {
  default: (props: PageProps<Data>) => ReactNode;
  load: (ctx: LoadContext) => Promise<PageLoad<Data>>;
}

/** The data of an API answer, or an error carrying its status and problem for a loader to act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function dataOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  const problem = (result.error ?? {}) as { code?: string; title?: string; detail?: string };
  throw new ApiError(
    result.response.status,
    problem.code ?? 'unknown',
    problem.detail ?? problem.title ?? `The shop answered ${result.response.status}`,
  );
}
