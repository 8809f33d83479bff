import { Link } from 'react-router';
import { AuthForm } from '../components/auth-form.js';
import { useSession } from '../session.js';
import { dataOf, type PageLoad } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Create an account', noIndex: true } };
}

export default function RegisterPage() {
  const { api } = useSession();
  return (
    <AuthForm
      title="Create an account"
      submitLabel="Create account"
      send={async (fields) =>
        dataOf(
          await api.POST('/api/users/register', {
            body: {
              name: String(fields.get('name')),
              email: String(fields.get('email')),
              password: String(fields.get('password')),
            },
          }),
        )
      }
    >
      <div className="field">
        <label htmlFor="name">Name</label>
        <input id="name" name="name" autoComplete="name" required maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          aria-describedby="password-help"
        />
        <p id="password-help" className="muted">
          At least 10 characters.
        </p>
      </div>
      <p className="muted">
        Already have an account? <Link to="/account/sign-in">Sign in</Link>
      </p>
    </AuthForm>
  );
}
