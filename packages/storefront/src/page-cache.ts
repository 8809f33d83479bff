import type { Head, PageModule } from './shop.js';
import type { RouteDef } from './routes.js';

/** A page as shown: its module, data and head, keyed by path and query. */
export interface LoadedPage {
  key: string;
  route: RouteDef;
  module: PageModule<unknown>;
  data: unknown;
  head: Head;
  status: number;
}

/** What the server sends along with a rendered page so that the browser can take over without refetching. */
export interface PageSnapshot {
  key: string;
  path: string;
  data: unknown;
  head: Head;
  status: number;
}

const modules = new Map<string, PageModule<unknown>>();

/** Loads a route's module once and keeps it, so that rendering it again needs no wait. */
export async function moduleOf(route: RouteDef): Promise<PageModule<unknown>> {
  let module = modules.get(route.path);
  if (!module) {
    module = (await route.module()) as unknown as PageModule<unknown>;
    modules.set(route.path, module);
  }
  return module;
}

export function loadedModule(route: RouteDef): PageModule<unknown> | undefined {
  return modules.get(route.path);
}

export function pageKey(pathname: string, search: string): string {
  return `${pathname}${search}`;
}
