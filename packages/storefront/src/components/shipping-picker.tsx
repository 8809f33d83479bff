import { useEffect, useState } from 'react';
import { countryOptions } from '../countries.js';
import { formatMoney } from '../format.js';
import { useSession } from '../session.js';
import { dataOf, type Cart } from '../shop.js';

export interface ShippingQuote {
  methodId: string;
  code: string;
  name: string;
  free: boolean;
  price: { amount: number; currency: string };
  estimatedDays?: { minDays: number; maxDays: number };
}

/**
 * The shipping methods for a country with their prices for this cart; choosing one puts it on the
 * cart (and so in its totals). Calls onQuotes with the methods so that checkout knows their ids.
 */
export function ShippingPicker({
  cart,
  country,
  onCountry,
  onQuotes,
  showCountry = true,
}: {
  cart: Cart;
  country: string;
  onCountry?: (country: string) => void;
  onQuotes?: (quotes: ShippingQuote[]) => void;
  showCountry?: boolean;
}) {
  const { api, store, cartHeaders, setCart } = useSession();
  const [quotes, setQuotes] = useState<ShippingQuote[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const weight = cart.weightGrams;
  const subtotal = cart.totals.subtotal;

  useEffect(() => {
    let live = true;
    api
      .GET('/api/shipping/quote', { params: { query: { cartId: cart.id, country }, header: cartHeaders() } })
      .then((answer) => {
        if (!live) return;
        if (answer.data) {
          setQuotes(answer.data.methods);
          setError(null);
          onQuotes?.(answer.data.methods);
        } else {
          setQuotes([]);
          setError('We do not ship to this country yet.');
          onQuotes?.([]);
        }
      })
      .catch(() => live && setError('Shipping prices could not be loaded.'));
    return () => {
      live = false;
    };
    // Quotes change with the country and with what is in the cart.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, cart.id, country, weight, subtotal]);

  async function choose(methodCode: string) {
    setPending(methodCode);
    try {
      const answer = await api.PUT('/api/cart/{id}/shipping', {
        params: { path: { id: cart.id }, header: cartHeaders() },
        body: { country, methodCode },
      });
      setCart(dataOf(answer));
    } catch {
      setError('That shipping method cannot be chosen now.');
    } finally {
      setPending(null);
    }
  }
  // The choice shows at once; the cart's totals follow when the cart answered.
  const chosen = pending ?? (cart.shipping?.country === country ? cart.shipping.methodCode : null);

  return (
    <fieldset className="shipping-picker">
      <legend>Shipping</legend>
      {showCountry && (
        <div className="field">
          <label htmlFor="ship-country">Country</label>
          <select id="ship-country" value={country} onChange={(event) => onCountry?.(event.target.value)}>
            {countryOptions(store.locale, store.defaultCountry).map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {quotes?.map((quote) => (
        <label key={quote.methodId} className="check method">
          <input
            type="radio"
            name="shipping-method"
            value={quote.code}
            checked={chosen === quote.code}
            onChange={() => void choose(quote.code)}
          />
          <span className="method-name">
            {quote.name}
            {quote.estimatedDays && (
              <span className="muted">
                {' '}
                · {quote.estimatedDays.minDays}–{quote.estimatedDays.maxDays} days
              </span>
            )}
          </span>
          <span className="method-price">
            {quote.free ? 'Free' : formatMoney(quote.price.amount, quote.price.currency, store)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
