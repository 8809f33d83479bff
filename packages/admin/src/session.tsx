import { createApiClient } from '@shopstack/api-client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiProblem, unwrap, type ApiClient } from './api.js';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds after which the access token is refreshed before use. */
  refreshAfter: number;
}

export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: 'staff' | 'admin';
}

export interface Session {
  /** The store's API, every call with the staff member's token. */
  api: ApiClient;
  /** loading: the stored sign-in is being checked. */
  status: 'loading' | 'signed-out' | 'signed-in';
  user: StaffMember | null;
  /** Why the last session ended, to show on the sign-in page. */
  notice: string | null;
  /** The current access token (refreshed when due), for requests made without the API client. */
  token: () => Promise<string | null>;
  /** Signs in; throws an Error whose message says why not (wrong password, a customer account). */
  signIn: (email: string, password: string) => Promise<void>;
  signOut: (notice?: string) => Promise<void>;
}

const TOKENS_KEY = 'shopstack.admin.session';

function readTokens(): Tokens | null {
  try {
    const text = localStorage.getItem(TOKENS_KEY);
    return text ? (JSON.parse(text) as Tokens) : null;
  } catch {
    return null;
  }
}

function writeTokens(tokens: Tokens | null): void {
  if (tokens) localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(TOKENS_KEY);
}

function tokensFrom(answer: { accessToken: string; refreshToken: string; expiresIn: number }): Tokens {
  return {
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    refreshAfter: Date.now() + Math.max(10, answer.expiresIn - 30) * 1000,
  };
}

export const CUSTOMER_REFUSED =
  'This is a customer account. The admin is for the shop’s staff: sign in with a staff account.';

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API client of the signed-in staff member. */
export function useApi(): ApiClient {
  return useSession().api;
}

/**
 * The staff member's session: tokens kept in localStorage and refreshed before they expire, the
 * account they belong to, and sign-in that refuses customer accounts.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Session['status']>('loading');
  const [user, setUser] = useState<StaffMember | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const end = useCallback((why: string | null) => {
    writeTokens(null);
    setUser(null);
    setNotice(why);
    setStatus('signed-out');
  }, []);

  const { api, token } = useMemo(() => {
    const bare = createApiClient({ baseUrl: '' });
    let refreshing: Promise<string | null> | null = null;
    const token = async (): Promise<string | null> => {
      const current = readTokens();
      if (!current) return null;
      if (Date.now() < current.refreshAfter) return current.accessToken;
      refreshing ??= bare
        .POST('/api/users/refresh', { body: { refreshToken: current.refreshToken } })
        .then(({ data }) => {
          if (!data) {
            end('Your session ended. Sign in again.');
            return null;
          }
          const next = tokensFrom(data);
          writeTokens(next);
          return next.accessToken;
        })
        .finally(() => {
          refreshing = null;
        });
      return refreshing;
    };
    const api = createApiClient({ baseUrl: '', accessToken: token });
    // A token the store no longer accepts (revoked, signing key gone) ends the session.
    api.use({
      onResponse({ response }) {
        if (response.status === 401 && readTokens()) end('Your session ended. Sign in again.');
        return undefined;
      },
    });
    return { api, token };
  }, [end]);

  const loadMe = useCallback(async (): Promise<StaffMember> => {
    const me = unwrap(await api.GET('/api/users/me'));
    if (me.role === 'customer') throw new Error(CUSTOMER_REFUSED);
    return { id: me.id, email: me.email, name: me.name, role: me.role };
  }, [api]);

  useEffect(() => {
    if (!readTokens()) {
      setStatus('signed-out');
      return;
    }
    loadMe().then(
      (me) => {
        setUser(me);
        setStatus('signed-in');
      },
      (err: unknown) => end(err instanceof ApiProblem ? 'Your session ended. Sign in again.' : String(err)),
    );
  }, [loadMe, end]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const answer = await api.POST('/api/users/login', { body: { email, password } });
      if (!answer.data) {
        const status = answer.response.status;
        if (status === 401 || status === 400)
          throw new Error('The e-mail address or the password is not right.');
        if (status === 429) throw new Error('Too many attempts. Wait a minute, then try again.');
        unwrap(answer);
        return;
      }
      writeTokens(tokensFrom(answer.data));
      try {
        const me = await loadMe();
        setUser(me);
        setNotice(null);
        setStatus('signed-in');
      } catch (err) {
        await api
          .POST('/api/users/logout', { body: { refreshToken: answer.data.refreshToken } })
          .catch(() => {});
        writeTokens(null);
        throw err;
      }
    },
    [api, loadMe],
  );

  const signOut = useCallback(
    async (why?: string) => {
      const current = readTokens();
      if (current) {
        await api.POST('/api/users/logout', { body: { refreshToken: current.refreshToken } }).catch(() => {});
      }
      end(why ?? null);
    },
    [api, end],
  );

  const value = useMemo<Session>(
    () => ({ api, status, user, notice, token, signIn, signOut }),
    [api, status, user, notice, token, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
