import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Price } from '../components/price.js';
import { ShippingPicker } from '../components/shipping-picker.js';
import { Totals } from '../components/totals.js';
import { formatMoney } from '../format.js';
import { useSession } from '../session.js';
import { ApiError, dataOf, type Cart, type PageLoad } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Your cart', noIndex: true } };
}

export default function CartPage() {
  const { cart, ready, api, cartHeaders, setCart, store } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [country, setCountry] = useState(cart?.shipping?.country ?? store.defaultCountry);

  if (!ready)
    return (
      <div className="container narrow">
        <h1>Your cart</h1>
        <p aria-busy="true">Loading your cart…</p>
      </div>
    );
  if (!cart || cart.lines.length === 0) {
    return (
      <div className="container narrow">
        <h1>Your cart</h1>
        <p>Your cart is empty.</p>
        <Link className="button button-primary" to="/">
          Continue shopping
        </Link>
      </div>
    );
  }

  async function act(call: Promise<{ data?: Cart; error?: unknown; response: Response }>) {
    setError(null);
    try {
      setCart(dataOf(await call));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The cart could not be updated.');
    }
  }
  const path = { id: cart.id };
  const header = cartHeaders();

  function applyCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (code) void act(api.POST('/api/cart/{id}/discount', { params: { path, header }, body: { code } }));
  }

  return (
    <div className="container">
      <h1>Your cart</h1>
      <div className="cart-layout">
        <section aria-label="Items">
          <ul className="cart-lines" role="list">
            {cart.lines.map((line) => (
              <li key={line.id} className="cart-line">
                <div>
                  <p className="line-name">{line.name}</p>
                  <p className="muted">SKU {line.sku}</p>
                  {!line.available && <p className="notice notice-error">No longer available</p>}
                </div>
                <div className="field quantity">
                  <label htmlFor={`qty-${line.id}`}>Quantity</label>
                  <input
                    id={`qty-${line.id}`}
                    type="number"
                    min={1}
                    max={99}
                    defaultValue={line.quantity}
                    onBlur={(event) => {
                      const quantity = Number(event.target.value);
                      if (Number.isInteger(quantity) && quantity >= 1 && quantity !== line.quantity)
                        void act(
                          api.PATCH('/api/cart/{id}/lines/{lineId}', {
                            params: { path: { ...path, lineId: line.id }, header },
                            body: { quantity },
                          }),
                        );
                    }}
                  />
                </div>
                <div className="line-price">
                  <Price amount={line.total} currency={line.unitPrice.currency} />
                  <span className="muted">
                    {formatMoney(line.unitPrice.amount, line.unitPrice.currency, store)} each
                  </span>
                </div>
                <button
                  type="button"
                  className="button button-small button-quiet"
                  aria-label={`Remove ${line.name}`}
                  onClick={() =>
                    void act(
                      api.DELETE('/api/cart/{id}/lines/{lineId}', {
                        params: { path: { ...path, lineId: line.id }, header },
                      }),
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          {cart.notices.map((notice) => (
            <p key={notice.code + (notice.lineId ?? '')} className="notice">
              {notice.message}
            </p>
          ))}
        </section>
        <aside className="summary" aria-label="Order summary">
          <form className="discount-form" onSubmit={applyCode}>
            <div className="field">
              <label htmlFor="discount-code">Discount code</label>
              <div className="inline-input">
                <input
                  id="discount-code"
                  name="code"
                  autoComplete="off"
                  defaultValue={cart.discount?.code ?? ''}
                />
                <button type="submit" className="button">
                  Apply
                </button>
              </div>
            </div>
            {cart.discount && (
              <p className="muted">
                Code {cart.discount.code}{' '}
                {cart.discount.applicable ? 'applied' : 'does not apply to this cart yet'}.{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    void act(api.DELETE('/api/cart/{id}/discount', { params: { path, header } }))
                  }
                >
                  Remove code
                </button>
              </p>
            )}
          </form>
          {error && (
            <p className="notice notice-error" role="alert">
              {error}
            </p>
          )}
          <ShippingPicker cart={cart} country={country} onCountry={setCountry} />
          <Totals cart={cart} />
          <Link className="button button-primary button-block" to="/checkout">
            Go to checkout
          </Link>
        </aside>
      </div>
    </div>
  );
}
