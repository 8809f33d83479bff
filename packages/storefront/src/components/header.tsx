import { Link } from 'react-router';
import { useSession } from '../session.js';
import { SearchBox } from './search-box.js';

export function Header() {
  const { store, cart, signedIn, ready } = useSession();
  const count = cart?.itemCount ?? 0;
  return (
    <header className="site-header">
      <div className="bar container">
        <Link to="/" className="brand" aria-label={`${store.name}, home`}>
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          {store.name}
        </Link>
        <SearchBox />
        <nav className="actions" aria-label="Your shop">
          <Link to={ready && signedIn ? '/account' : '/account/sign-in'} className="action">
            {ready && signedIn ? 'Account' : 'Sign in'}
          </Link>
          <Link to="/cart" className="action cart-link">
            Cart <span className="badge">{count}</span>
            <span className="visually-hidden"> {count === 1 ? 'item' : 'items'}</span>
          </Link>
        </nav>
      </div>
      <nav className="categories" aria-label="Categories">
        <ul className="container">
          {store.nav.map((category) => (
            <li key={category.slug}>
              <Link to={`/c/${category.slug}`}>{category.name}</Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
