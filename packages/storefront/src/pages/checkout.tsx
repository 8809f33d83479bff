import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ShippingPicker } from '../components/shipping-picker.js';
import { Totals } from '../components/totals.js';
import { countryOptions } from '../countries.js';
import { useSession } from '../session.js';
import { ApiError, dataOf, type PageLoad } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Checkout', noIndex: true } };
}

/** What a shopper reads when checkout stops, by the problem's code. */
const CHECKOUT_MESSAGES: Record<string, string> = {
  card_declined: 'Your card was declined. Nothing was charged: try another card.',
  insufficient_funds: 'Your card was declined for insufficient funds. Nothing was charged: try another card.',
  capture_failed: 'The payment could not be completed. Nothing was charged: please try again.',
  out_of_stock:
    'Some items sold out while you were checking out. Your cart shows what is left; please review it.',
  product_unavailable: 'An item in your cart is no longer sold. Please review your cart.',
  price_changed: 'A price changed since you looked. Please check the new total and place the order again.',
  shipping_required: 'Please choose a shipping method.',
  cart_completed: 'This cart has already been ordered. Your confirmation e-mail has the link to the order.',
  checkout_in_progress:
    'Your order is still being placed. Wait a moment, then place it again to see the result.',
};

/** A random UUID, also where crypto.randomUUID is missing (pages served over plain HTTP). */
function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One attempt at placing the order: its Idempotency-Key and card token, kept while the form stays
 * the same, so that a retry after an answer that never arrived replays the first checkout instead
 * of starting another.
 */
interface Attempt {
  fingerprint: string;
  key: string;
  paymentToken: string;
}

function expiry(text: string): { expMonth: number; expYear: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return null;
  const expMonth = Number(match[1]);
  const year = Number(match[2]);
  if (expMonth < 1 || expMonth > 12) return null;
  return { expMonth, expYear: year < 100 ? 2000 + year : year };
}

export default function CheckoutPage() {
  const { cart, ready, api, store, signedIn, cartHeaders, refreshCart, setCart } = useSession();
  const navigate = useNavigate();
  const [country, setCountry] = useState(store.defaultCountry);
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const attempt = useRef<Attempt | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    void api.GET('/api/users/me').then(({ data }) => {
      if (data) setEmail((current) => current || data.email);
    });
  }, [signedIn, api]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (!ready)
    return (
      <div className="container narrow">
        <h1>Checkout</h1>
        <p aria-busy="true">Loading your cart…</p>
      </div>
    );
  if (!cart || cart.lines.length === 0) {
    return (
      <div className="container narrow">
        <h1>Checkout</h1>
        <p>Your cart is empty.</p>
        <Link to="/">Continue shopping</Link>
      </div>
    );
  }
  const currentCart = cart;

  async function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    if (!currentCart.shipping || currentCart.shipping.country !== country) {
      setError(CHECKOUT_MESSAGES.shipping_required!);
      return;
    }
    const exp = expiry(field('cardExpiry'));
    if (!exp) {
      setError('Please enter the card’s expiry date as MM/YY.');
      return;
    }
    setBusy(true);
    const fingerprint = JSON.stringify(
      [...form.entries()]
        .map(([k, v]) => [k, String(v)])
        .concat([
          ['country', country],
          ['cart', `${currentCart.updatedAt}:${currentCart.totals.total}`],
        ]),
    );
    try {
      if (attempt.current?.fingerprint !== fingerprint) {
        const token = dataOf(
          await api.POST('/api/payment/tokens', {
            body: { number: field('cardNumber').replace(/\s+/g, ''), cvc: field('cardCvc'), ...exp },
          }),
        );
        attempt.current = { fingerprint, key: randomId(), paymentToken: token.token };
      }
      const { key, paymentToken } = attempt.current;
      const order = dataOf(
        await api.POST('/api/orders/checkout', {
          params: { header: { 'idempotency-key': key, ...cartHeaders() } },
          body: {
            cartId: currentCart.id,
            email: field('email'),
            paymentToken,
            shippingMethodId: currentCart.shipping.methodCode,
            expectedTotal: currentCart.totals.total,
            shippingAddress: {
              recipient: field('recipient'),
              line1: field('line1'),
              ...(field('line2') ? { line2: field('line2') } : {}),
              city: field('city'),
              postalCode: field('postalCode'),
              country,
              ...(field('phone') ? { phone: field('phone') } : {}),
            },
          },
        }),
      );
      setCart(null);
      attempt.current = null;
      const link = order.accessKey ? `?key=${encodeURIComponent(order.accessKey)}` : '';
      navigate(`/orders/${order.id}${link}`, { state: { placed: true } });
    } catch (err) {
      if (err instanceof ApiError) {
        // A refused checkout is final for this attempt: the next one starts afresh.
        if (err.code !== 'checkout_in_progress') attempt.current = null;
        setError(CHECKOUT_MESSAGES[err.code] ?? err.message);
        if (['out_of_stock', 'product_unavailable', 'price_changed'].includes(err.code)) await refreshCart();
      } else {
        setError(
          'The shop did not answer. Place the order again: if the first try went through, you get that order and are not charged twice.',
        );
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container">
      <h1>Checkout</h1>
      <form className="checkout" onSubmit={placeOrder} noValidate={false}>
        <div className="checkout-main">
          <fieldset>
            <legend>Contact</legend>
            <div className="field">
              <label htmlFor="email">E-mail</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
          </fieldset>
          <fieldset>
            <legend>Shipping address</legend>
            <div className="field">
              <label htmlFor="recipient">Full name</label>
              <input id="recipient" name="recipient" autoComplete="name" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="line1">Address</label>
              <input id="line1" name="line1" autoComplete="address-line1" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="line2">Apartment, suite (optional)</label>
              <input id="line2" name="line2" autoComplete="address-line2" maxLength={200} />
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor="postalCode">Postal code</label>
                <input id="postalCode" name="postalCode" autoComplete="postal-code" required maxLength={20} />
              </div>
              <div className="field">
                <label htmlFor="city">City</label>
                <input id="city" name="city" autoComplete="address-level2" required maxLength={100} />
              </div>
            </div>
            <div className="field">
              <label htmlFor="country">Country</label>
              <select
                id="country"
                name="country"
                autoComplete="country"
                value={country}
                onChange={(e) => setCountry(e.target.value)}
              >
                {countryOptions(store.locale, store.defaultCountry).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="phone">Phone (optional, for the carrier)</label>
              <input id="phone" name="phone" type="tel" autoComplete="tel" maxLength={30} />
            </div>
          </fieldset>
          <ShippingPicker cart={cart} country={country} showCountry={false} />
          <fieldset className="payment">
            <legend>Payment</legend>
            <p className="muted">
              Test cards: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 is declined. Your card number
              goes to the payment service only and is never stored.
            </p>
            <div className="field">
              <label htmlFor="cardNumber">Card number</label>
              <input
                id="cardNumber"
                name="cardNumber"
                inputMode="numeric"
                autoComplete="cc-number"
                required
                pattern="[0-9 ]{12,23}"
                maxLength={23}
              />
            </div>
            <div className="field-row">
              <div className="field">
                <label htmlFor="cardExpiry">Expiry (MM/YY)</label>
                <input
                  id="cardExpiry"
                  name="cardExpiry"
                  autoComplete="cc-exp"
                  required
                  placeholder="MM/YY"
                  maxLength={7}
                />
              </div>
              <div className="field">
                <label htmlFor="cardCvc">Security code</label>
                <input
                  id="cardCvc"
                  name="cardCvc"
                  inputMode="numeric"
                  autoComplete="cc-csc"
                  required
                  pattern="[0-9]{3,4}"
                  maxLength={4}
                />
              </div>
            </div>
          </fieldset>
        </div>
        <aside className="summary" aria-label="Order summary">
          <h2>Order summary</h2>
          <ul className="summary-lines" role="list">
            {cart.lines.map((line) => (
              <li key={line.id}>
                <span>
                  {line.quantity} × {line.name}
                </span>
              </li>
            ))}
          </ul>
          <Totals cart={cart} />
          {error && (
            <p className="notice notice-error" role="alert" tabIndex={-1} ref={errorRef}>
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Placing your order…' : 'Place order'}
          </button>
        </aside>
      </form>
    </div>
  );
}
