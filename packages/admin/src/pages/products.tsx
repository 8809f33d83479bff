import type { ResponseOf } from '@shopstack/api-client';
import {
  createColumnHelper,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading, PageHeader, Pager, StatusBadge } from '../components/ui.js';
import { formatDate, formatMoney } from '../money.js';
import { useApi } from '../session.js';
import { useDebounced, useLoad } from '../use-load.js';

type ProductPage = ResponseOf<'adminListProducts'>;
type ProductRow = ProductPage['items'][number];
type Status = NonNullable<ProductRow['status']>;

const PAGE_SIZE = 25;
const column = createColumnHelper<ProductRow>();

function priceRange(row: ProductRow): string {
  if (!row.priceRange) return '—';
  const { min, max } = row.priceRange;
  const low = formatMoney(min.amount, min.currency);
  return min.amount === max.amount ? low : `${low} – ${formatMoney(max.amount, max.currency)}`;
}

/** Every product in any status, searched by name, slug or SKU, a page at a time. */
export default function Products() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim());
  const status = (params.get('status') ?? '') as Status | '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [sorting, setSorting] = useState<SortingState>([]);

  const products = useLoad<ProductPage>(
    async () =>
      unwrap(
        await api.GET('/api/catalogue/admin/products', {
          params: {
            query: { page, pageSize: PAGE_SIZE, ...(q ? { q } : {}), ...(status ? { status } : {}) },
          },
        }),
      ),
    `${q}|${status}|${page}`,
  );

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const columns = useMemo(
    () => [
      column.accessor('name', {
        header: 'Name',
        cell: (info) => (
          <div>
            <Link to={`/products/${info.row.original.id}`} className="row-title">
              {info.getValue()}
            </Link>
            <div className="cell-sub">{info.row.original.slug}</div>
          </div>
        ),
      }),
      column.accessor('status', {
        header: 'Status',
        cell: (info) => <StatusBadge status={info.getValue()} />,
      }),
      column.accessor((row) => row.priceRange?.min.amount ?? -1, {
        id: 'price',
        header: 'Price',
        cell: (info) => priceRange(info.row.original),
        meta: { numeric: true },
      }),
      column.accessor('variantCount', { header: 'Variants', meta: { numeric: true, optional: true } }),
      column.accessor('available', {
        header: 'Available',
        cell: (info) => (
          <span className={info.getValue() === 0 ? 'text-danger' : undefined}>{info.getValue()}</span>
        ),
        meta: { numeric: true },
      }),
      column.accessor('updatedAt', {
        header: 'Updated',
        cell: (info) => formatDate(info.getValue()),
        meta: { optional: true },
      }),
    ],
    [],
  );

  const items = products.data?.items ?? [];
  const table = useReactTable({
    data: items,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  const total = products.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <PageHeader title="Products">
        <Link to="/import" className="button">
          Upload CSV
        </Link>
        <Link to="/products/new" className="button button-primary">
          New product
        </Link>
      </PageHeader>
      <div className="card">
        <div className="toolbar">
          <div className="field field-inline grow">
            <label htmlFor="product-search">Search</label>
            <input
              id="product-search"
              type="search"
              placeholder="Name, slug or SKU"
              value={search}
              onChange={(event) => {
                setSearch(event.target.value);
                update({ q: event.target.value.trim() || null, page: null });
              }}
            />
          </div>
          <div className="field field-inline">
            <label htmlFor="product-status">Status</label>
            <select
              id="product-status"
              value={status}
              onChange={(event) => update({ status: event.target.value || null, page: null })}
            >
              <option value="">Any</option>
              <option value="draft">Draft</option>
              <option value="published">Published</option>
              <option value="archived">Archived</option>
            </select>
          </div>
        </div>
        <ErrorMessage>{products.error}</ErrorMessage>
        {products.loading && !products.data ? (
          <Loading />
        ) : (
          <DataTable
            table={table}
            caption="Products"
            empty={q || status ? 'No product matches this search.' : 'No products yet.'}
          />
        )}
        <Pager
          label="Product pages"
          status={`Page ${page} of ${pages} · ${total} products`}
          onPrevious={page > 1 ? () => update({ page: String(page - 1) }) : undefined}
          onNext={page < pages ? () => update({ page: String(page + 1) }) : undefined}
        />
      </div>
    </>
  );
}
