import { formatMoney } from '../format.js';
import { useSession } from '../session.js';
import type { Cart } from '../shop.js';

/** A cart's figures: subtotal, discount, shipping, tax and total, exactly as the cart service computed them. */
export function Totals({ cart }: { cart: Cart }) {
  const { store } = useSession();
  const { totals } = cart;
  const money = (amount: number) => formatMoney(amount, totals.currency, store);
  return (
    <dl className="totals">
      <div>
        <dt>Subtotal</dt>
        <dd>{money(totals.subtotal)}</dd>
      </div>
      {totals.discount > 0 && (
        <div className="discount">
          <dt>Discount{cart.discount ? ` (${cart.discount.code})` : ''}</dt>
          <dd>−{money(totals.discount)}</dd>
        </div>
      )}
      <div>
        <dt>Shipping{cart.shipping ? ` (${cart.shipping.name})` : ''}</dt>
        <dd>
          {cart.shipping ? (cart.shipping.free ? 'Free' : money(totals.shipping)) : 'Calculated at checkout'}
        </dd>
      </div>
      <div>
        <dt>{totals.pricesIncludeTax ? 'Included tax' : 'Tax'}</dt>
        <dd>{money(totals.tax)}</dd>
      </div>
      <div className="grand-total">
        <dt>Total</dt>
        <dd data-testid="cart-total">{money(totals.total)}</dd>
      </div>
    </dl>
  );
}
