import type { ResponseOf } from '@shopstack/api-client';
import { createColumnHelper, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading, PageHeader, Pager } from '../components/ui.js';
import { formatDate } from '../money.js';
import { useApi } from '../session.js';
import { useDebounced, useLoad } from '../use-load.js';

type CustomerList = ResponseOf<'listCustomers'>;
type CustomerRow = CustomerList['items'][number];

const column = createColumnHelper<CustomerRow>();

/** Customer accounts, newest first, searched by name or e-mail address. */
export default function Customers() {
  const api = useApi();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const customers = useLoad<CustomerList>(
    async () =>
      unwrap(
        await api.GET('/api/users/customers', {
          params: { query: { limit: 25, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
        }),
      ),
    `${q}|${cursor ?? ''}`,
  );

  const columns = useMemo(
    () => [
      column.accessor('name', {
        header: 'Name',
        cell: (info) => (
          <Link to={`/customers/${info.row.original.id}`} className="row-title">
            {info.getValue() || info.row.original.email}
          </Link>
        ),
      }),
      column.accessor('email', {
        header: 'E-mail address',
        cell: (info) => <span className="truncate">{info.getValue()}</span>,
      }),
      column.accessor('phone', {
        header: 'Phone',
        cell: (info) => info.getValue() ?? '—',
        meta: { optional: true },
      }),
      column.accessor('createdAt', {
        header: 'Since',
        cell: (info) => formatDate(info.getValue()),
        meta: { optional: true },
      }),
    ],
    [],
  );
  const table = useReactTable({
    data: customers.data?.items ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
  });

  return (
    <>
      <PageHeader title="Customers" />
      <div className="card">
        <div className="toolbar">
          <div className="field field-inline grow">
            <label htmlFor="customer-search">Search</label>
            <input
              id="customer-search"
              type="search"
              placeholder="Name or e-mail address"
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
                setCursors([]);
              }}
            />
          </div>
        </div>
        <ErrorMessage>{customers.error}</ErrorMessage>
        {customers.loading && !customers.data ? (
          <Loading />
        ) : (
          <DataTable
            table={table}
            caption="Customers"
            empty={q ? 'No customer matches this search.' : 'No customers yet.'}
          />
        )}
        <Pager
          label="Customer pages"
          onPrevious={cursors.length ? () => setCursors((c) => c.slice(0, -1)) : undefined}
          onNext={
            customers.data?.nextCursor
              ? () => setCursors((c) => [...c, customers.data!.nextCursor!])
              : undefined
          }
        />
      </div>
    </>
  );
}
