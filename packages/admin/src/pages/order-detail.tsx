import type { ResponseOf } from '@shopstack/api-client';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { messageOf, unwrap } from '../api.js';
import {
  Card,
  ConfirmDialog,
  ErrorMessage,
  Loading,
  Notice,
  PageHeader,
  StatusBadge,
} from '../components/ui.js';
import { idempotencyKey } from '../ids.js';
import { formatDateTime, formatMoney, toMajor, toMinor } from '../money.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';

type Order = ResponseOf<'adminGetOrder'>;
type Fulfilment = ResponseOf<'getFulfilment'>;

const CANCELLABLE = ['pending', 'paid', 'fulfilling'];
const REFUNDABLE = ['paid', 'fulfilling', 'shipped', 'delivered'];
const NEXT_STEP: Record<string, 'fulfilling' | 'shipped' | 'delivered' | undefined> = {
  paid: 'fulfilling',
  fulfilling: 'shipped',
  shipped: 'delivered',
};
const STEP_LABEL = {
  fulfilling: 'Start fulfilment',
  shipped: 'Mark as shipped',
  delivered: 'Mark as delivered',
};

/** One order: its lines and totals, payment, address, timeline and parcels; cancel, refund and fulfilment steps. */
export default function OrderDetail() {
  const { id = '' } = useParams();
  const api = useApi();
  const order = useLoad<Order>(
    async () => unwrap(await api.GET('/api/orders/admin/orders/{id}', { params: { path: { id } } })),
    id,
  );
  const fulfilment = useLoad<Fulfilment | null>(async () => {
    const answer = await api.GET('/api/dispatch/fulfilments/{orderId}', {
      params: { path: { orderId: id } },
    });
    return answer.response.status === 404 ? null : unwrap(answer);
  }, id);
  const [dialog, setDialog] = useState<'cancel' | 'refund' | null>(null);
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (order.loading && !order.data) return <Loading />;
  if (!order.data) {
    return (
      <>
        <PageHeader title="Order" back={{ to: '/orders', label: 'All orders' }} />
        <ErrorMessage>{order.error}</ErrorMessage>
      </>
    );
  }
  const o = order.data;
  const money = (value: number) => formatMoney(value, o.currency);
  const refundable = o.totals.total - o.totals.refunded;
  const next = NEXT_STEP[o.status];

  async function act(label: string, run: () => Promise<Order>) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const updated = await run();
      // Staff actions answer without the parcels: read the order again for them.
      order.setData({ ...updated, shipments: order.data?.shipments ?? [] });
      order.reload();
      fulfilment.reload();
      setDialog(null);
      setDone(label);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const cancel = () =>
    act('The order was cancelled.', async () =>
      unwrap(
        await api.POST('/api/orders/admin/orders/{id}/cancel', {
          params: { path: { id }, header: { 'idempotency-key': idempotencyKey() } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    );

  const refund = () => {
    const minor = amount.trim() ? toMinor(amount, o.currency) : refundable;
    if (minor === null || minor <= 0 || minor > refundable) {
      setError(`Enter an amount between ${money(1)} and ${money(refundable)}.`);
      return;
    }
    return act(`${money(minor)} was refunded.`, async () =>
      unwrap(
        await api.POST('/api/orders/admin/orders/{id}/refunds', {
          params: { path: { id }, header: { 'idempotency-key': idempotencyKey() } },
          body: { amount: minor, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    );
  };

  const markStep = (status: 'fulfilling' | 'shipped' | 'delivered') =>
    act(`The order is now ${status}.`, async () =>
      unwrap(
        await api.POST('/api/orders/admin/orders/{id}/fulfilment', {
          params: { path: { id } },
          body: { status },
        }),
      ),
    );

  const open = (which: 'cancel' | 'refund') => {
    setReason('');
    setAmount(which === 'refund' ? toMajor(refundable, o.currency) : '');
    setError(null);
    setDialog(which);
  };

  const address = o.shippingAddress;
  return (
    <>
      <PageHeader title={`Order #${o.number}`} back={{ to: '/orders', label: 'All orders' }}>
        <StatusBadge status={o.status} />
        {next && (
          <button type="button" className="button" disabled={busy} onClick={() => void markStep(next)}>
            {STEP_LABEL[next]}
          </button>
        )}
        {REFUNDABLE.includes(o.status) && refundable > 0 && o.payment && (
          <button type="button" className="button" disabled={busy} onClick={() => open('refund')}>
            Refund
          </button>
        )}
        {CANCELLABLE.includes(o.status) && (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => open('cancel')}
          >
            Cancel order
          </button>
        )}
      </PageHeader>
      {!dialog && <ErrorMessage>{error}</ErrorMessage>}
      {done && <Notice>{done}</Notice>}
      {o.settlementPending && (
        <p className="alert alert-warning">
          The refund or restock of this cancellation is still being retried.
        </p>
      )}

      <div className="editor-layout">
        <div className="stack-lg">
          <Card title="Items">
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col" className="numeric">
                      Quantity
                    </th>
                    <th scope="col" className="numeric">
                      Unit price
                    </th>
                    <th scope="col" className="numeric">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {o.lines.map((line) => (
                    <tr key={line.variantId}>
                      <td>
                        <Link to={`/products/${line.productId}`}>{line.name}</Link>
                        <div className="cell-sub">
                          <code>{line.sku}</code>
                          {line.discount > 0 && ` · ${money(line.discount)} off`}
                        </div>
                      </td>
                      <td className="numeric">{line.quantity}</td>
                      <td className="numeric">{money(line.unitPrice)}</td>
                      <td className="numeric">{money(line.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <dl className="totals">
              <dt>Subtotal</dt>
              <dd>{money(o.totals.subtotal)}</dd>
              {o.totals.discount > 0 && (
                <>
                  <dt>Discount{o.discountCode ? ` (${o.discountCode})` : ''}</dt>
                  <dd>−{money(o.totals.discount)}</dd>
                </>
              )}
              <dt>Shipping ({o.shippingMethod.name})</dt>
              <dd>{money(o.totals.shipping)}</dd>
              <dt>Tax{o.totals.pricesIncludeTax ? ' (included)' : ''}</dt>
              <dd>{money(o.totals.tax)}</dd>
              <dt className="totals-grand">Total</dt>
              <dd className="totals-grand">{money(o.totals.total)}</dd>
              {o.totals.refunded > 0 && (
                <>
                  <dt>Refunded</dt>
                  <dd className="text-danger">−{money(o.totals.refunded)}</dd>
                </>
              )}
            </dl>
          </Card>

          <Card title="Timeline">
            <ol className="timeline">
              {[...o.timeline].reverse().map((entry, i) => (
                <li key={`${entry.at}-${i}`}>
                  <div className="timeline-head">
                    <StatusBadge status={entry.to} />
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </div>
                  <p className="muted">
                    {entry.from ? `From ${entry.from}` : 'Placed'} · by {entry.actor.kind}
                    {entry.note && ` · “${entry.note}”`}
                  </p>
                </li>
              ))}
            </ol>
          </Card>
        </div>

        <div className="stack-lg editor-side">
          <Card title="Customer">
            <p>
              {o.customerId ? <Link to={`/customers/${o.customerId}`}>{o.email}</Link> : o.email}
              {!o.customerId && <span className="muted"> (guest)</span>}
            </p>
            <p className="muted">Placed {formatDateTime(o.placedAt)}</p>
            <h3>Ship to</h3>
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
              {address.region && `, ${address.region}`}
              <br />
              {address.country}
              {address.phone && (
                <>
                  <br />
                  {address.phone}
                </>
              )}
            </address>
            <h3>Payment</h3>
            <p>
              {o.payment
                ? `${o.payment.cardBrand ?? 'Card'}${o.payment.cardLast4 ? ` ending ${o.payment.cardLast4}` : ''}`
                : 'No payment'}
            </p>
          </Card>

          <Card title="Fulfilment">
            {fulfilment.loading && !fulfilment.data && <Loading />}
            {fulfilment.data === null && <p className="muted">Dispatch has not started on this order.</p>}
            {fulfilment.data && (
              <>
                <p>
                  <StatusBadge status={fulfilment.data.status} />
                  {fulfilment.data.trackingNumber && (
                    <span className="muted"> · tracking {fulfilment.data.trackingNumber}</span>
                  )}
                </p>
                <ol className="steps">
                  {fulfilment.data.steps.map((step, i) => (
                    <li key={`${step.step}-${i}`}>
                      <strong>{step.step.replace(/_/g, ' ')}</strong> · {formatDateTime(step.occurredAt)}
                      {step.detail && <div className="muted">{step.detail}</div>}
                    </li>
                  ))}
                </ol>
              </>
            )}
            {fulfilment.error && <p className="muted">Dispatch could not be asked: {fulfilment.error}</p>}
            <h3>Parcels</h3>
            {(o.shipments ?? []).length === 0 ? (
              <p className="muted">No parcel yet.</p>
            ) : (
              <ul className="plain-list">
                {(o.shipments ?? []).map((s) => (
                  <li key={s.trackingNumber}>
                    {s.carrier} <code>{s.trackingNumber}</code> <StatusBadge status={s.status} />
                    {s.trackingEvents.length > 0 && (
                      <div className="muted">
                        {s.trackingEvents.at(-1)!.description} ·{' '}
                        {formatDateTime(s.trackingEvents.at(-1)!.occurredAt)}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>

      <ConfirmDialog
        open={dialog === 'cancel'}
        title={`Cancel order #${o.number}?`}
        confirmLabel="Yes, cancel the order"
        danger
        busy={busy}
        onConfirm={() => void cancel()}
        onCancel={() => setDialog(null)}
      >
        <p>
          The payment is voided or refunded ({money(o.totals.total - o.totals.refunded)}) and the stock goes
          back on sale. This cannot be undone.
        </p>
        <div className="field">
          <label htmlFor="cancel-reason">Reason for cancelling (optional)</label>
          <input
            id="cancel-reason"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <ErrorMessage>{error}</ErrorMessage>
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === 'refund'}
        title={`Refund order #${o.number}`}
        confirmLabel="Refund"
        danger
        busy={busy}
        onConfirm={() => void refund()}
        onCancel={() => setDialog(null)}
      >
        <p>Up to {money(refundable)} can be refunded. Refunding all of it ends the order as refunded.</p>
        <div className="field">
          <label htmlFor="refund-amount">Amount ({o.currency})</label>
          <input
            id="refund-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="refund-reason">Reason for the refund (optional)</label>
          <input
            id="refund-reason"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <ErrorMessage>{error}</ErrorMessage>
      </ConfirmDialog>
    </>
  );
}
