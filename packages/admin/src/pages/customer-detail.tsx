import type { ResponseOf } from '@shopstack/api-client';
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { unwrap } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Card, ErrorMessage, Loading, PageHeader, Pager } from '../components/ui.js';
import { formatDate, formatMoney } from '../money.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';
import { orderColumns } from './orders.js';

type Customer = ResponseOf<'getCustomer'>;
type OrderList = ResponseOf<'adminListOrders'>;

/** A customer: their account, address book and orders. */
export default function CustomerDetail() {
  const { id = '' } = useParams();
  const api = useApi();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const customer = useLoad<Customer>(
    async () => unwrap(await api.GET('/api/users/customers/{id}', { params: { path: { id } } })),
    id,
  );
  const orders = useLoad<OrderList>(
    async () =>
      unwrap(
        await api.GET('/api/orders/admin/orders', {
          params: { query: { customerId: id, limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    `${id}|${cursor ?? ''}`,
  );
  const columns = useMemo(orderColumns, []);
  const table = useReactTable({
    data: orders.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
  });

  if (customer.loading && !customer.data) return <Loading />;
  if (!customer.data) {
    return (
      <>
        <PageHeader title="Customer" back={{ to: '/customers', label: 'All customers' }} />
        <ErrorMessage>{customer.error}</ErrorMessage>
      </>
    );
  }
  const c = customer.data;
  const spent = (orders.data?.items ?? []).filter((o) => o.status !== 'cancelled');
  return (
    <>
      <PageHeader title={c.name || c.email} back={{ to: '/customers', label: 'All customers' }} />
      <div className="editor-layout">
        <div className="stack-lg">
          <Card title="Their orders">
            <ErrorMessage>{orders.error}</ErrorMessage>
            {orders.loading && !orders.data ? (
              <Loading />
            ) : (
              <DataTable table={table} caption="Their orders" empty="No orders yet." />
            )}
            {(cursors.length > 0 || orders.data?.nextCursor) && (
              <Pager
                label="Pages of their orders"
                onPrevious={cursors.length ? () => setCursors((x) => x.slice(0, -1)) : undefined}
                onNext={
                  orders.data?.nextCursor
                    ? () => setCursors((x) => [...x, orders.data!.nextCursor!])
                    : undefined
                }
              />
            )}
          </Card>
        </div>
        <div className="stack-lg editor-side">
          <Card title="Account">
            <dl className="facts">
              <dt>E-mail address</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              <dt>Phone</dt>
              <dd>{c.phone ?? '—'}</dd>
              <dt>Customer since</dt>
              <dd>{formatDate(c.createdAt)}</dd>
              {cursors.length === 0 && spent.length > 0 && (
                <>
                  <dt>Spent (this page of orders)</dt>
                  <dd>
                    {formatMoney(
                      spent.reduce((sum, o) => sum + o.total - o.refunded, 0),
                      spent[0]!.currency,
                    )}
                  </dd>
                </>
              )}
            </dl>
          </Card>
          <Card title="Addresses">
            {c.addresses.length === 0 ? (
              <p className="muted">No saved addresses.</p>
            ) : (
              <ul className="plain-list">
                {c.addresses.map((a) => (
                  <li key={a.id}>
                    <address>
                      {a.label && <strong>{a.label}</strong>}
                      {a.isDefault && <span className="badge badge-info">default</span>}
                      <br />
                      {a.recipient}, {a.line1}
                      {a.line2 ? `, ${a.line2}` : ''}, {a.postalCode} {a.city}, {a.country}
                    </address>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
