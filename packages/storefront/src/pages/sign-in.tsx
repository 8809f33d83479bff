import { Link } from 'react-router';
import { AuthForm } from '../components/auth-form.js';
import { useSession } from '../session.js';
import { dataOf, type PageLoad } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Sign in', noIndex: true } };
}

export default function SignInPage() {
  const { api } = useSession();
  return (
    <AuthForm
      title="Sign in"
      submitLabel="Sign in"
      send={async (fields) =>
        dataOf(
          await api.POST('/api/users/login', {
            body: { email: String(fields.get('email')), password: String(fields.get('password')) },
          }),
        )
      }
    >
      <div className="field">
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <p className="muted">
        New here? <Link to="/account/register">Create an account</Link>
      </p>
    </AuthForm>
  );
}
