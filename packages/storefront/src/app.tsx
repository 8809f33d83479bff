import { useEffect, useRef, useState } from 'react';
import { matchRoutes, useLocation } from 'react-router';
import { Footer } from './components/footer.js';
import { Header } from './components/header.js';
import { applyHead } from './head.js';
import { loadedModule, moduleOf, pageKey, type LoadedPage } from './page-cache.js';
import { ROUTES, type RouteDef } from './routes.js';
import { useSession } from './session.js';
import type { LoadContext } from './shop.js';

/** The route a path shows, with its parameters. */
export function routeFor(pathname: string): { route: RouteDef; params: Record<string, string | undefined> } {
  const match = matchRoutes(ROUTES as RouteDef[], pathname)?.[0];
  return match
    ? { route: match.route, params: match.params }
    : { route: ROUTES[ROUTES.length - 1]!, params: {} };
}

/** Loads a page: its module, then its data through the API. */
export async function loadPage(
  pathname: string,
  search: string,
  ctx: Omit<LoadContext, 'params' | 'search'>,
): Promise<LoadedPage> {
  const { route, params } = routeFor(pathname);
  const module = await moduleOf(route);
  const loaded = await module.load({ ...ctx, params, search: new URLSearchParams(search) });
  return {
    key: pageKey(pathname, search),
    route,
    module,
    data: loaded.data,
    head: loaded.head,
    status: loaded.status ?? 200,
  };
}

/**
 * The shop: header, the current page and footer. The first page comes rendered from the server with
 * its data; later pages are loaded in the browser while the previous one stays on screen.
 */
export function App({ initial }: { initial: LoadedPage }) {
  const location = useLocation();
  const session = useSession();
  const [page, setPage] = useState<LoadedPage>(initial);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef(pageKey(location.pathname, location.search));
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    const key = pageKey(location.pathname, location.search);
    latest.current = key;
    if (key === page.key) {
      // Back to the page on screen while another was loading: nothing to load, nothing to show.
      setLoading(false);
      setFailed(null);
      return;
    }
    const samePage = location.pathname === page.key.split('?')[0];
    setLoading(true);
    setFailed(null);
    loadPage(location.pathname, location.search, { api: session.api, store: session.store })
      .then((next) => {
        if (latest.current !== key) return;
        setPage(next);
        applyHead(next.head, session.store);
        // Filters and sort change the query of the page on screen: focus and scroll stay where they are.
        if (!samePage) {
          window.scrollTo(0, 0);
          // Screen readers and keyboard users start at the new page's content.
          main.current?.focus({ preventScroll: true });
        }
      })
      .catch((err: unknown) => {
        if (latest.current !== key) return;
        // After a new release the old page's chunks are gone: load the page whole from the server.
        if (err instanceof TypeError && /module/i.test(err.message)) {
          window.location.assign(`${location.pathname}${location.search}`);
          return;
        }
        setFailed('This page could not be loaded. Check your connection and try again.');
      })
      .finally(() => {
        if (latest.current === key) setLoading(false);
      });
    // Only a change of address loads another page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname, location.search, location.key]);

  const Page = (loadedModule(page.route) ?? page.module).default;
  const { params } = routeFor(page.key.split('?')[0]!);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      {loading && <div className="progress" role="progressbar" aria-label="Loading page" />}
      <main id="main" ref={main} tabIndex={-1}>
        {failed ? (
          <p className="notice notice-error" role="alert">
            {failed}
          </p>
        ) : (
          <Page
            key={page.key.split('?')[0]}
            data={page.data}
            params={params}
            search={new URLSearchParams(page.key.split('?')[1] ?? '')}
          />
        )}
      </main>
      <Footer />
    </div>
  );
}
