import { lazy, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout.js';
import { Loading } from './components/ui.js';
import { SignInPage } from './pages/sign-in.js';
import { useSession } from './session.js';
import { CurrencyProvider } from './store-currency.js';

// Each section loads when first opened: the sign-in page needs none of them, and the dashboard's chart library stays out of the rest.
const Dashboard = lazy(() => import('./pages/dashboard.js'));
const Products = lazy(() => import('./pages/products.js'));
const ProductEditor = lazy(() => import('./pages/product-editor.js'));
const ImportPage = lazy(() => import('./pages/import.js'));
const Categories = lazy(() => import('./pages/categories.js'));
const Orders = lazy(() => import('./pages/orders.js'));
const OrderDetail = lazy(() => import('./pages/order-detail.js'));
const Customers = lazy(() => import('./pages/customers.js'));
const CustomerDetail = lazy(() => import('./pages/customer-detail.js'));
const Discounts = lazy(() => import('./pages/discounts.js'));
const Shipping = lazy(() => import('./pages/shipping.js'));
const Taxes = lazy(() => import('./pages/taxes.js'));
const Reviews = lazy(() => import('./pages/reviews.js'));
const NotFound = lazy(() => import('./pages/not-found.js'));

const TITLES: Array<[RegExp, string]> = [
  [/^\/$/, 'Dashboard'],
  [/^\/sign-in/, 'Sign in'],
  [/^\/products\/new/, 'New product'],
  [/^\/products\//, 'Product'],
  [/^\/products/, 'Products'],
  [/^\/import/, 'Import'],
  [/^\/categories/, 'Categories'],
  [/^\/orders\//, 'Order'],
  [/^\/orders/, 'Orders'],
  [/^\/customers\//, 'Customer'],
  [/^\/customers/, 'Customers'],
  [/^\/discounts/, 'Discounts'],
  [/^\/shipping/, 'Shipping'],
  [/^\/taxes/, 'Taxes'],
  [/^\/reviews/, 'Reviews'],
];

/** The document title follows the section, so history entries and tabs say where they lead. */
function useDocumentTitle() {
  const { pathname } = useLocation();
  useEffect(() => {
    const title = TITLES.find(([pattern]) => pattern.test(pathname))?.[1];
    document.title = title ? `${title} · ShopStack Admin` : 'ShopStack Admin';
  }, [pathname]);
}

function RequireStaff() {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading label="Checking your session…" />;
  if (status === 'signed-out') {
    const next = location.pathname + location.search;
    return <Navigate to="/sign-in" replace state={{ next }} />;
  }
  return (
    <CurrencyProvider>
      <Layout />
    </CurrencyProvider>
  );
}

export function App() {
  useDocumentTitle();
  return (
    <Routes>
      <Route path="sign-in" element={<SignInPage />} />
      <Route element={<RequireStaff />}>
        <Route index element={<Dashboard />} />
        <Route path="products" element={<Products />} />
        <Route path="products/new" element={<ProductEditor />} />
        <Route path="products/:id" element={<ProductEditor />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="categories" element={<Categories />} />
        <Route path="orders" element={<Orders />} />
        <Route path="orders/:id" element={<OrderDetail />} />
        <Route path="customers" element={<Customers />} />
        <Route path="customers/:id" element={<CustomerDetail />} />
        <Route path="discounts" element={<Discounts />} />
        <Route path="shipping" element={<Shipping />} />
        <Route path="taxes" element={<Taxes />} />
        <Route path="reviews" element={<Reviews />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
