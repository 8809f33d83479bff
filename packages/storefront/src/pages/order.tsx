import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { OrderView } from '../components/order-view.js';
import { useSession } from '../session.js';
import type { Order, PageLoad, PageProps } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Your order', noIndex: true } };
}

/** An order: the confirmation right after checkout, and the page its link (or the account) opens later. */
export default function OrderPage({ params, search }: PageProps<null>) {
  const { api, ready } = useSession();
  const location = useLocation();
  const placed = Boolean((location.state as { placed?: boolean } | null)?.placed);
  const [order, setOrder] = useState<Order | null>(null);
  const [missing, setMissing] = useState(false);
  const key = search.get('key');
  const id = params.id ?? '';

  useEffect(() => {
    if (!ready) return;
    let live = true;
    const load = () =>
      api
        .GET('/api/orders/{id}', { params: { path: { id }, query: key ? { key } : {} } })
        .then(({ data, response }) => {
          if (!live) return;
          if (data) {
            setOrder(data);
            setMissing(false);
          } else if (response.status === 404) setMissing(true);
        })
        // A poll that failed is tried again with the next one.
        .catch(() => undefined);
    void load();
    // Fulfilment moves on by itself: the page follows it while it is open.
    const timer = setInterval(load, 15_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, id, key, ready]);

  if (missing) {
    return (
      <div className="container narrow">
        <h1>Order not found</h1>
        <p>
          Open the link from your confirmation e-mail, or <Link to="/account/sign-in">sign in</Link> to see
          your orders.
        </p>
      </div>
    );
  }
  if (!order)
    return (
      <div className="container narrow">
        <p aria-busy="true">Loading your order…</p>
      </div>
    );
  return (
    <div className="container narrow">
      {placed ? (
        <>
          <h1>Thank you for your order!</h1>
          <p className="lead confirmation">
            Your order number is <strong data-testid="order-number">{order.number}</strong>. A confirmation is
            on its way to {order.email}.
          </p>
        </>
      ) : (
        <h1>
          Order <span data-testid="order-number">{order.number}</span>
        </h1>
      )}
      <OrderView order={order} />
      <p>
        <Link to="/">Continue shopping</Link>
      </p>
    </div>
  );
}
