import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App, routeFor } from './app.js';
import { moduleOf, type LoadedPage, type PageSnapshot } from './page-cache.js';
import { SessionProvider } from './session.js';
import type { StoreInfo } from './shop.js';
import './styles.css';

declare global {
  interface Window {
    __SHOPSTACK__: { store: StoreInfo; page: PageSnapshot };
  }
}

const { store, page } = window.__SHOPSTACK__;
const { route } = routeFor(page.path);
// The page's code is loaded before hydration so that the first render matches the server's.
const module = await moduleOf(route);
const initial: LoadedPage = { ...page, route, module };
hydrateRoot(
  document.getElementById('root')!,
  <StrictMode>
    <BrowserRouter>
      <SessionProvider store={store}>
        <App initial={initial} />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
