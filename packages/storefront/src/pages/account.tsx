import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { statusLabel } from '../components/order-view.js';
import { countryName, countryOptions } from '../countries.js';
import { formatDate, formatMoney } from '../format.js';
import { useSession } from '../session.js';
import { ApiError, dataOf, type PageLoad } from '../shop.js';
import type { ResponseOf } from '@shopstack/api-client';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Your account', noIndex: true } };
}

type Me = ResponseOf<'getMe'>;
type OrderList = ResponseOf<'listMyOrders'>;
type Address =
  ResponseOf<'listAddresses'> extends { items: Array<infer A> }
    ? A
    : ResponseOf<'listAddresses'> extends Array<infer B>
      ? B
      : never;

export default function AccountPage() {
  const { api, ready, signedIn, signOut, store } = useSession();
  const navigate = useNavigate();
  const [me, setMe] = useState<Me | null>(null);
  const [orders, setOrders] = useState<OrderList | null>(null);
  const [addresses, setAddresses] = useState<Address[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!ready) return;
    if (!signedIn) {
      navigate('/account/sign-in?next=/account', { replace: true });
      return;
    }
    void api.GET('/api/users/me').then(({ data }) => setMe(data ?? null));
    void api
      .GET('/api/orders', { params: { query: { limit: 20 } } })
      .then(({ data }) => setOrders(data ?? null));
    void reloadAddresses();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, signedIn]);

  async function reloadAddresses() {
    const { data } = await api.GET('/api/users/me/addresses');
    const list = (
      Array.isArray(data) ? data : ((data as { items?: Address[] } | undefined)?.items ?? [])
    ) as Address[];
    setAddresses(list);
  }

  async function addAddress(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    try {
      dataOf(
        await api.POST('/api/users/me/addresses', {
          body: {
            recipient: field('recipient'),
            line1: field('line1'),
            city: field('city'),
            postalCode: field('postalCode'),
            country: field('country'),
          },
        }),
      );
      formElement.reset();
      await reloadAddresses();
      setMessage('Address saved.');
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'The address could not be saved.');
    }
  }

  async function exportData() {
    const { data } = await api.GET('/api/users/me/export');
    if (!data) return;
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'my-data.json';
    link.click();
    URL.revokeObjectURL(url);
  }

  async function deleteAccount() {
    if (
      !window.confirm(
        'Delete your account and personal data? Orders are kept, without your name, for the tax records.',
      )
    )
      return;
    const answer = await api.DELETE('/api/users/me');
    if (answer.response.ok) {
      await signOut();
      navigate('/');
    } else setMessage('Your account could not be deleted. Please try again.');
  }

  if (!ready || !signedIn || !me)
    return (
      <div className="container narrow">
        <h1>Your account</h1>
        <p aria-busy="true">Loading…</p>
      </div>
    );
  return (
    <div className="container account">
      <div className="account-head">
        <h1>Hello, {me.name}</h1>
        <button
          type="button"
          className="button"
          onClick={() => {
            void signOut().then(() => navigate('/'));
          }}
        >
          Sign out
        </button>
      </div>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">Your orders</h2>
        {orders && orders.items.length > 0 ? (
          <table className="orders-table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.items.map((order) => (
                <tr key={order.id}>
                  <td>
                    <Link to={`/orders/${order.id}`}>#{order.number}</Link>
                  </td>
                  <td>{formatDate(order.placedAt, store)}</td>
                  <td>
                    <span className={`status status-${order.status}`}>{statusLabel(order.status)}</span>
                  </td>
                  <td className="num">{formatMoney(order.total, order.currency, store)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>You have not ordered anything yet.</p>
        )}
      </section>
      <section aria-labelledby="addresses-title">
        <h2 id="addresses-title">Addresses</h2>
        <ul className="address-list" role="list">
          {addresses.map((address) => (
            <li key={address.id}>
              <address>
                {address.recipient}, {address.line1}, {address.postalCode} {address.city},{' '}
                {countryName(address.country, store.locale)}
              </address>
              <button
                type="button"
                className="button button-small button-quiet"
                onClick={() =>
                  void api
                    .DELETE('/api/users/me/addresses/{id}', { params: { path: { id: address.id } } })
                    .then(reloadAddresses)
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <details>
          <summary>Add an address</summary>
          <form className="stack" onSubmit={addAddress}>
            <div className="field">
              <label htmlFor="a-recipient">Full name</label>
              <input id="a-recipient" name="recipient" required autoComplete="name" />
            </div>
            <div className="field">
              <label htmlFor="a-line1">Address</label>
              <input id="a-line1" name="line1" required autoComplete="address-line1" />
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor="a-postal">Postal code</label>
                <input id="a-postal" name="postalCode" required autoComplete="postal-code" />
              </div>
              <div className="field">
                <label htmlFor="a-city">City</label>
                <input id="a-city" name="city" required autoComplete="address-level2" />
              </div>
            </div>
            <div className="field">
              <label htmlFor="a-country">Country</label>
              <select id="a-country" name="country" defaultValue={store.defaultCountry}>
                {countryOptions(store.locale, store.defaultCountry).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button">
              Save address
            </button>
          </form>
        </details>
      </section>
      <section aria-labelledby="privacy-title">
        <h2 id="privacy-title">Your data</h2>
        <p className="muted">Download everything the shop holds about you, or delete your account.</p>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void exportData()}>
            Export my data
          </button>
          <button type="button" className="button button-danger" onClick={() => void deleteAccount()}>
            Delete my account
          </button>
        </div>
      </section>
    </div>
  );
}
