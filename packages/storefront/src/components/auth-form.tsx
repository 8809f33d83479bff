import { useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../session.js';
import { ApiError } from '../shop.js';

/** A `next` address as a path of this site, or null when it would lead anywhere else. */
function sameOriginPath(next: string | null): string | null {
  if (!next) return null;
  try {
    const url = new URL(next, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}

/** A sign-in or sign-up form: it sends the fields, signs the customer in and goes back where they came from. */
export function AuthForm({
  title,
  submitLabel,
  children,
  send,
}: {
  title: string;
  submitLabel: string;
  children: ReactNode;
  send: (fields: FormData) => Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>;
}) {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(await send(new FormData(event.currentTarget)));
      navigate(sameOriginPath(params.get('next')) ?? '/account');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The shop could not be reached. Please try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container narrow auth">
      <h1>{title}</h1>
      <form onSubmit={submit} className="stack">
        {children}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {submitLabel}
        </button>
      </form>
    </div>
  );
}
