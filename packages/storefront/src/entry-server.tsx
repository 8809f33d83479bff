import type { ApiClient } from '@shopstack/api-client';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { StaticRouter } from 'react-router';
import { App, loadPage } from './app.js';
import { headHtml } from './head.js';
import type { PageSnapshot } from './page-cache.js';
import { SessionProvider } from './session.js';
import type { StoreInfo } from './shop.js';

export interface RenderedPage {
  /** The page's markup, to go inside <div id="root">. */
  html: string;
  /** Its <head> tags: title, description, canonical URL, Open Graph, JSON-LD. */
  head: string;
  status: number;
  /** What the browser needs to take over without loading the page's data again. */
  snapshot: PageSnapshot;
}

/** Renders a page of the shop to HTML, its data loaded through the store's API. */
export async function render(url: string, api: ApiClient, store: StoreInfo): Promise<RenderedPage> {
  // The request target is a path (never a URL): '//host/x' is the path //host/x.
  const { pathname, search } = new URL(`http://localhost${url.startsWith('/') ? url : `/${url}`}`);
  const page = await loadPage(pathname, search, { api, store });
  const html = renderToString(
    <StrictMode>
      <StaticRouter location={url}>
        <SessionProvider store={store} api={api}>
          <App initial={page} />
        </SessionProvider>
      </StaticRouter>
    </StrictMode>,
  );
  return {
    html,
    head: headHtml(page.head, store),
    status: page.status,
    snapshot: { key: page.key, path: pathname, data: page.data, head: page.head, status: page.status },
  };
}

export { ROUTES } from './routes.js';
