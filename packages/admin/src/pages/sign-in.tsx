import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorMessage, Loading } from '../components/ui.js';
import { useSession } from '../session.js';

/** Staff sign in with their e-mail address and password; customer accounts are turned away. */
export function SignInPage() {
  const { status, notice, signIn } = useSession();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = (location.state as { next?: string } | null)?.next ?? '/';

  if (status === 'loading') return <Loading label="Checking your session…" />;
  if (status === 'signed-in') return <Navigate to={next.startsWith('/sign-in') ? '/' : next} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email') ?? '').trim(), String(form.get('password') ?? ''));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          ShopStack <span className="brand-sub">admin</span>
        </p>
        <h1>Sign in</h1>
        <p className="muted">For the shop’s staff. Customers sign in on the shop itself.</p>
        {notice && !error && <p className="alert alert-info">{notice}</p>}
        <ErrorMessage>{error}</ErrorMessage>
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor="email">E-mail</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
