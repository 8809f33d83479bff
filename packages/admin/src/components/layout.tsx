import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session.js';
import { Loading } from './ui.js';

/** Line icons (24×24, stroked), decorative: every link says its name in words. */
const ICONS: Record<string, string> = {
  dashboard: 'M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z',
  products: 'M21 8l-9-5-9 5v8l9 5 9-5zM3 8l9 5 9-5M12 13v8',
  orders: 'M6 2l-3 4v14a2 2 0 002 2h14a2 2 0 002-2V6l-3-4zM3 6h18M16 10a4 4 0 01-8 0',
  customers:
    'M16 21v-2a4 4 0 00-4-4H6a4 4 0 00-4 4v2M9 11a4 4 0 100-8 4 4 0 000 8M22 21v-2a4 4 0 00-3-3.9M16 3.1a4 4 0 010 7.8',
  categories: 'M3 3h7v7H3zM14 3h7v7h-7zM14 14h7v7h-7zM3 14h7v7H3z',
  discounts: 'M20.6 13.4l-7.2 7.2a2 2 0 01-2.8 0L2 12V2h10l8.6 8.6a2 2 0 010 2.8zM7 7h.01',
  shipping:
    'M1 3h15v13H1zM16 8h4l3 3v5h-7zM5.5 21a2.5 2.5 0 100-5 2.5 2.5 0 000 5M18.5 21a2.5 2.5 0 100-5 2.5 2.5 0 000 5',
  taxes: 'M19 5L5 19M6.5 9a2.5 2.5 0 100-5 2.5 2.5 0 000 5M17.5 20a2.5 2.5 0 100-5 2.5 2.5 0 000 5',
  reviews: 'M12 2l3.1 6.3 6.9 1-5 4.9 1.2 6.8-6.2-3.2-6.2 3.2L7 14.2 2 9.3l6.9-1z',
  import: 'M21 15v4a2 2 0 01-2 2H5a2 2 0 01-2-2v-4M17 8l-5-5-5 5M12 3v12',
};

const LINKS: Array<{ to: string; label: string; icon: string; end?: boolean }> = [
  { to: '/', label: 'Dashboard', icon: 'dashboard', end: true },
  { to: '/orders', label: 'Orders', icon: 'orders' },
  { to: '/products', label: 'Products', icon: 'products' },
  { to: '/categories', label: 'Categories', icon: 'categories' },
  { to: '/customers', label: 'Customers', icon: 'customers' },
  { to: '/discounts', label: 'Discounts', icon: 'discounts' },
  { to: '/shipping', label: 'Shipping', icon: 'shipping' },
  { to: '/taxes', label: 'Taxes', icon: 'taxes' },
  { to: '/reviews', label: 'Reviews', icon: 'reviews' },
  { to: '/import', label: 'Import', icon: 'import' },
];

function Icon({ name }: { name: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={ICONS[name]} />
    </svg>
  );
}

/** The signed-in frame: the store's name and the account on top, the sections on the side, the page in main. */
export function Layout() {
  const { user, signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            S
          </span>
          ShopStack <span className="brand-sub">admin</span>
        </span>
        <div className="account">
          <span className="account-name">
            {user?.name || user?.email}
            <span className="account-role">{user?.role}</span>
          </span>
          <button type="button" className="button button-ghost" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Sections">
        <ul>
          {LINKS.map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} end={link.end ?? false} className="nav-link">
                <Icon name={link.icon} />
                <span>{link.label}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
