import type { PageModule } from './shop.js';

/** One page of the shop: its path pattern and its module, loaded when the page is first shown. */
export interface RouteDef {
  path: string;
  module: () => Promise<PageModule<never>>;
}

// Each page is a chunk of its own, so the home page carries only what it shows.
export const ROUTES: readonly RouteDef[] = [
  { path: '/', module: () => import('./pages/home.js') as never },
  { path: '/c/:slug', module: () => import('./pages/category.js') as never },
  { path: '/p/:slug', module: () => import('./pages/product.js') as never },
  { path: '/search', module: () => import('./pages/search.js') as never },
  { path: '/cart', module: () => import('./pages/cart.js') as never },
  { path: '/checkout', module: () => import('./pages/checkout.js') as never },
  { path: '/orders/:id', module: () => import('./pages/order.js') as never },
  { path: '/account', module: () => import('./pages/account.js') as never },
  { path: '/account/sign-in', module: () => import('./pages/sign-in.js') as never },
  { path: '/account/register', module: () => import('./pages/register.js') as never },
  { path: '*', module: () => import('./pages/not-found.js') as never },
];
