import { Link } from 'react-router';
import { useSession } from '../session.js';

export function Footer() {
  const { store } = useSession();
  return (
    <footer className="site-footer">
      <div className="container footer-grid">
        <div>
          <p className="brand">{store.name}</p>
          <p className="muted">Prices include VAT where it applies. Free returns within 30 days.</p>
        </div>
        <nav aria-label="Help">
          <ul>
            <li>
              <Link to="/account">Your account</Link>
            </li>
            <li>
              <Link to="/cart">Cart</Link>
            </li>
            <li>
              <a href="/sitemap.xml">Sitemap</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
