import { countryName } from '../countries.js';
import { formatDate, formatMoney } from '../format.js';
import { useSession } from '../session.js';
import type { Order } from '../shop.js';

const STATUS_LABELS: Record<string, string> = {
  placed: 'Placed',
  paid: 'Paid',
  fulfilling: 'Being packed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replace(/_/g, ' ');
}

/** An order as its customer sees it: lines, figures, address, and each shipment's tracking. */
export function OrderView({ order }: { order: Order }) {
  const { store } = useSession();
  const money = (amount: number) => formatMoney(amount, order.currency, store);
  const address = order.shippingAddress;
  return (
    <div className="order-view">
      <p>
        <span className={`status status-${order.status}`}>{statusLabel(order.status)}</span> · placed{' '}
        {formatDate(order.placedAt, store)} · {order.email}
      </p>
      <table className="order-lines">
        <caption className="visually-hidden">Items</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Price
            </th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.variantId}>
              <td>
                {line.name}
                <br />
                <span className="muted">SKU {line.sku}</span>
              </td>
              <td className="num">{line.quantity}</td>
              <td className="num">{money(line.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <div>
          <dt>Subtotal</dt>
          <dd>{money(order.totals.subtotal)}</dd>
        </div>
        {order.totals.discount > 0 && (
          <div>
            <dt>Discount{order.discountCode ? ` (${order.discountCode})` : ''}</dt>
            <dd>−{money(order.totals.discount)}</dd>
          </div>
        )}
        <div>
          <dt>Shipping ({order.shippingMethod.name})</dt>
          <dd>{money(order.totals.shipping)}</dd>
        </div>
        <div>
          <dt>{order.totals.pricesIncludeTax ? 'Included tax' : 'Tax'}</dt>
          <dd>{money(order.totals.tax)}</dd>
        </div>
        <div className="grand-total">
          <dt>Total</dt>
          <dd>{money(order.totals.total)}</dd>
        </div>
        {order.totals.refunded > 0 && (
          <div>
            <dt>Refunded</dt>
            <dd>{money(order.totals.refunded)}</dd>
          </div>
        )}
      </dl>
      <div className="order-columns">
        <section aria-labelledby="ship-to">
          <h2 id="ship-to">Shipping to</h2>
          <address>
            {address.recipient}
            <br />
            {address.line1}
            {address.line2 && (
              <>
                <br />
                {address.line2}
              </>
            )}
            <br />
            {address.postalCode} {address.city}
            <br />
            {countryName(address.country, store.locale)}
          </address>
          {order.payment?.cardLast4 && (
            <p className="muted">
              Paid with {order.payment.cardBrand ?? 'card'} ending {order.payment.cardLast4}
            </p>
          )}
        </section>
        <section aria-labelledby="tracking">
          <h2 id="tracking">Tracking</h2>
          {order.shipments && order.shipments.length > 0 ? (
            order.shipments.map((shipment) => (
              <div key={shipment.trackingNumber} className="shipment">
                <p>
                  {shipment.carrier} <strong>{shipment.trackingNumber}</strong> ·{' '}
                  {statusLabel(shipment.status)}
                </p>
                <ol className="tracking-events">
                  {shipment.trackingEvents.map((event) => (
                    <li key={event.occurredAt + event.status}>
                      <time dateTime={event.occurredAt}>{formatDate(event.occurredAt, store)}</time>{' '}
                      {event.description}
                    </li>
                  ))}
                </ol>
              </div>
            ))
          ) : (
            <p className="muted">Your order is being prepared. Tracking appears here once it ships.</p>
          )}
        </section>
      </div>
    </div>
  );
}
