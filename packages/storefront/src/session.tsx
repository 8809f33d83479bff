import { createApiClient, type ApiClient } from '@shopstack/api-client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dataOf, type Cart, type StoreInfo } from './shop.js';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  refreshAfter: number;
}

interface CartRef {
  id: string;
  /** A guest cart's token (shown once when the cart opened); null for a customer's cart. */
  token: string | null;
}

const TOKENS_KEY = 'shopstack.session';

/**
 * Runs a token refresh under a lock shared by the shop's tabs (a refresh token works once: two tabs
 * refreshing at the same moment would end the session).
 */
function withRefreshLock<T>(refresh: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  return locks ? (locks.request('shopstack-refresh', refresh) as Promise<T>) : refresh();
}

const CART_KEY = 'shopstack.cart';

function read<T>(key: string): T | null {
  try {
    const text = globalThis.localStorage?.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  if (value === null) globalThis.localStorage?.removeItem(key);
  else globalThis.localStorage?.setItem(key, JSON.stringify(value));
}

export interface Session {
  store: StoreInfo;
  api: ApiClient;
  /** Whether the browser has read the session (false during server rendering and hydration). */
  ready: boolean;
  signedIn: boolean;
  cart: Cart | null;
  /** Header with the guest cart's token, for cart calls. */
  cartHeaders: () => Record<string, string>;
  /** The open cart, opening one when there is none (or it expired or was completed). */
  ensureCart: () => Promise<Cart>;
  setCart: (cart: Cart | null) => void;
  refreshCart: () => Promise<void>;
  signIn: (tokens: { accessToken: string; refreshToken: string; expiresIn: number }) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

function tokensFrom(answer: { accessToken: string; refreshToken: string; expiresIn: number }): Tokens {
  return {
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    refreshAfter: Date.now() + Math.max(10, answer.expiresIn - 30) * 1000,
  };
}

/** The browser's session: the signed-in customer's tokens (refreshed before they expire) and the open cart. */
export function SessionProvider({
  store,
  api: serverApi,
  children,
}: {
  store: StoreInfo;
  api?: ApiClient;
  children: ReactNode;
}) {
  const [ready, setReady] = useState(false);
  const [tokens, setTokens] = useState<Tokens | null>(null);
  const [cart, setCartState] = useState<Cart | null>(null);

  const api = useMemo(() => {
    if (serverApi) return serverApi;
    let refreshing: Promise<string | null> | null = null;
    const bare = createApiClient({ baseUrl: '' });
    return createApiClient({
      baseUrl: '',
      accessToken: async () => {
        const current = read<Tokens>(TOKENS_KEY);
        if (!current) return null;
        if (Date.now() < current.refreshAfter) return current.accessToken;
        refreshing ??= withRefreshLock(async () => {
          // Another tab may have refreshed while this one waited for the lock: its tokens are current.
          const latest = read<Tokens>(TOKENS_KEY);
          if (!latest) return null;
          if (Date.now() < latest.refreshAfter) return latest.accessToken;
          const { data, response } = await bare.POST('/api/users/refresh', {
            body: { refreshToken: latest.refreshToken },
          });
          if (data) {
            const next = tokensFrom(data);
            write(TOKENS_KEY, next);
            setTokens(next);
            return next.accessToken;
          }
          // Only a refused refresh token ends the session; a server that did not answer well does not.
          if (response.status === 400 || response.status === 401) {
            write(TOKENS_KEY, null);
            setTokens(null);
          }
          return null;
        })
          .catch(() => null)
          .finally(() => {
            refreshing = null;
          });
        return refreshing;
      },
    });
  }, [serverApi]);

  const cartHeaders = useCallback((): Record<string, string> => {
    const ref = read<CartRef>(CART_KEY);
    return ref?.token ? { 'x-cart-token': ref.token } : {};
  }, []);

  const setCart = useCallback((next: Cart | null) => {
    setCartState(next);
    if (next === null) write(CART_KEY, null);
  }, []);

  const openCart = useCallback(async (): Promise<Cart> => {
    const opened = dataOf(await api.POST('/api/cart', {}));
    const { token, ...rest } = opened as Cart & { token?: string | null };
    write(CART_KEY, { id: opened.id, token: token ?? null } satisfies CartRef);
    setCartState(rest as Cart);
    return rest as Cart;
  }, [api]);

  const fetchCart = useCallback(async (): Promise<Cart | null> => {
    const ref = read<CartRef>(CART_KEY);
    if (!ref) return null;
    const result = await api.GET('/api/cart/{id}', {
      params: { path: { id: ref.id }, header: cartHeaders() },
    });
    if (result.data && result.data.status === 'active') return result.data;
    if (result.response.status >= 500 || result.response.status === 0) throw new Error('cart unavailable');
    write(CART_KEY, null);
    return null;
  }, [api, cartHeaders]);

  const refreshCart = useCallback(async () => {
    setCartState(await fetchCart().catch(() => null));
  }, [fetchCart]);

  const ensureCart = useCallback(async (): Promise<Cart> => {
    return (await fetchCart()) ?? openCart();
  }, [fetchCart, openCart]);

  const signIn = useCallback(
    async (answer: { accessToken: string; refreshToken: string; expiresIn: number }) => {
      const next = tokensFrom(answer);
      write(TOKENS_KEY, next);
      setTokens(next);
      // A guest cart is handed to the customer: its lines merge into theirs (or it becomes theirs).
      const guest = read<CartRef>(CART_KEY);
      let mine: Cart;
      if (guest?.token) {
        const merged = await api.POST('/api/cart/{id}/merge', {
          params: { path: { id: guest.id }, header: { 'x-cart-token': guest.token } },
        });
        mine = merged.data ?? dataOf(await api.POST('/api/cart', {}));
      } else {
        mine = dataOf(await api.POST('/api/cart', {}));
      }
      write(CART_KEY, { id: mine.id, token: null } satisfies CartRef);
      setCartState(mine);
    },
    [api],
  );

  const signOut = useCallback(async () => {
    const current = read<Tokens>(TOKENS_KEY);
    if (current)
      await api
        .POST('/api/users/logout', { body: { refreshToken: current.refreshToken } })
        .catch(() => undefined);
    write(TOKENS_KEY, null);
    write(CART_KEY, null);
    setTokens(null);
    setCartState(null);
  }, [api]);

  useEffect(() => {
    setTokens(read<Tokens>(TOKENS_KEY));
    // Ready once the cart is known, so that a page never shows an empty cart that is not.
    void refreshCart().finally(() => setReady(true));
  }, [refreshCart]);

  const value = useMemo<Session>(
    () => ({
      store,
      api,
      ready,
      signedIn: tokens !== null,
      cart,
      cartHeaders,
      ensureCart,
      setCart,
      refreshCart,
      signIn,
      signOut,
    }),
    [store, api, ready, tokens, cart, cartHeaders, ensureCart, setCart, refreshCart, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
