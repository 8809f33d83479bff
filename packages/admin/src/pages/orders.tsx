import type { ResponseOf } from '@shopstack/api-client';
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading, PageHeader, Pager, StatusBadge } from '../components/ui.js';
import { formatDateTime, formatMoney } from '../money.js';
import { useApi } from '../session.js';
import { useDebounced, useLoad } from '../use-load.js';

type OrderList = ResponseOf<'adminListOrders'>;
type OrderRow = OrderList['items'][number];
type OrderStatus = 'pending' | 'paid' | 'fulfilling' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';

export const ORDER_STATUSES: OrderStatus[] = [
  'pending',
  'paid',
  'fulfilling',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
];

const column = createColumnHelper<OrderRow>();

/** The order columns shared by the order list and a customer's orders. */
export function orderColumns() {
  return [
    column.accessor('number', {
      header: 'Order',
      cell: (info) => (
        <Link to={`/orders/${info.row.original.id}`} className="row-title">
          #{info.getValue()}
        </Link>
      ),
    }),
    column.accessor('placedAt', { header: 'Placed', cell: (info) => formatDateTime(info.getValue()) }),
    column.accessor('email', {
      header: 'Customer',
      cell: (info) => <span className="truncate">{info.getValue()}</span>,
      meta: { optional: true },
    }),
    column.accessor('status', { header: 'Status', cell: (info) => <StatusBadge status={info.getValue()} /> }),
    column.accessor('itemCount', { header: 'Items', meta: { numeric: true, optional: true } }),
    column.accessor('total', {
      header: 'Total',
      cell: (info) => {
        const order = info.row.original;
        return (
          <>
            {formatMoney(order.total, order.currency)}
            {order.refunded > 0 && (
              <div className="cell-sub">{formatMoney(order.refunded, order.currency)} refunded</div>
            )}
          </>
        );
      },
      meta: { numeric: true },
    }),
  ];
}

/** Every order, newest first, filtered by status and searched by number or e-mail address. */
export default function Orders() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim());
  const status = (params.get('status') ?? '') as OrderStatus | '';
  // The cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);

  const orders = useLoad<OrderList>(
    async () =>
      unwrap(
        await api.GET('/api/orders/admin/orders', {
          params: {
            query: {
              limit: 25,
              ...(q ? { q } : {}),
              ...(status ? { status } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    `${q}|${status}|${cursor ?? ''}`,
  );

  const columns = useMemo(orderColumns, []);
  const table = useReactTable({
    data: orders.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
  });

  return (
    <>
      <PageHeader title="Orders" />
      <div className="card">
        <div className="toolbar">
          <div className="field field-inline grow">
            <label htmlFor="order-search">Search</label>
            <input
              id="order-search"
              type="search"
              placeholder="Order number or e-mail address"
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
                setCursors([]);
              }}
            />
          </div>
          <div className="field field-inline">
            <label htmlFor="order-status">Status</label>
            <select
              id="order-status"
              value={status}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                if (event.target.value) next.set('status', event.target.value);
                else next.delete('status');
                setParams(next, { replace: true });
                setCursors([]);
              }}
            >
              <option value="">Any</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.charAt(0).toUpperCase() + s.slice(1)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorMessage>{orders.error}</ErrorMessage>
        {orders.loading && !orders.data ? (
          <Loading />
        ) : (
          <DataTable
            table={table}
            caption="Orders"
            empty={q || status ? 'No order matches this search.' : 'No orders yet.'}
          />
        )}
        <Pager
          label="Order pages"
          onPrevious={cursors.length ? () => setCursors((c) => c.slice(0, -1)) : undefined}
          onNext={
            orders.data?.nextCursor ? () => setCursors((c) => [...c, orders.data!.nextCursor!]) : undefined
          }
        />
      </div>
    </>
  );
}
