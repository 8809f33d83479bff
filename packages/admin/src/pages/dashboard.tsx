import type { ResponseOf } from '@shopstack/api-client';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api.js';
import { Card, Empty, ErrorMessage, Loading, PageHeader, StatusBadge } from '../components/ui.js';
import { formatDate, formatDateTime, formatMoney } from '../money.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';

const RevenueChart = lazy(() => import('../components/revenue-chart.js'));

type Stats = ResponseOf<'adminOrderStats'>;
type LowStock = ResponseOf<'adminListLowStock'>;

const LOW_STOCK_BELOW = 5;

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="stat">
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      {detail && <p className="stat-detail">{detail}</p>}
    </div>
  );
}

/** Today and the last 30 days at a glance: orders, revenue, what runs low, what came in last. */
export default function Dashboard() {
  const api = useApi();
  const stats = useLoad<Stats>(
    async () => unwrap(await api.GET('/api/orders/admin/stats', { params: { query: { days: 30 } } })),
    'stats',
  );
  const lowStock = useLoad<LowStock>(
    async () =>
      unwrap(
        await api.GET('/api/catalogue/admin/stock', {
          params: { query: { below: LOW_STOCK_BELOW, limit: 10 } },
        }),
      ),
    'low-stock',
  );
  const data = stats.data;
  const money = (amount: number) => (data ? formatMoney(amount, data.currency) : '');

  return (
    <>
      <PageHeader title="Dashboard" />
      <ErrorMessage>{stats.error}</ErrorMessage>
      <section className="stats" aria-label="Figures">
        {data ? (
          <>
            <Stat label="Orders today" value={String(data.today.orders)} />
            <Stat label="Revenue today" value={money(data.today.revenue)} />
            <Stat
              label="Orders, last 30 days"
              value={String(data.period.orders)}
              detail={`${formatDate(data.period.from)} – ${formatDate(data.period.to)}`}
            />
            <Stat
              label="Revenue, last 30 days"
              value={money(data.period.revenue)}
              detail={
                data.period.orders
                  ? `${money(Math.round(data.period.revenue / data.period.orders))} per order`
                  : ''
              }
            />
          </>
        ) : (
          stats.loading && <Loading />
        )}
      </section>

      <div className="grid-2">
        <Card title="Orders and revenue, last 30 days" className="span-2">
          {data ? (
            <Suspense fallback={<Loading label="Drawing the chart…" />}>
              <RevenueChart daily={data.daily} currency={data.currency} />
            </Suspense>
          ) : (
            stats.loading && <Loading />
          )}
        </Card>

        <Card title="Recent orders">
          {data && data.recentOrders.length === 0 && <Empty>No orders yet.</Empty>}
          {data && data.recentOrders.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Number</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="numeric">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.recentOrders.map((order) => (
                    <tr key={order.id}>
                      <td>
                        <Link to={`/orders/${order.id}`}>#{order.number}</Link>
                        <div className="cell-sub">{formatDateTime(order.placedAt)}</div>
                      </td>
                      <td className="truncate">{order.email}</td>
                      <td>
                        <StatusBadge status={order.status} />
                      </td>
                      <td className="numeric">{formatMoney(order.total, order.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card title="Low stock">
          <ErrorMessage>{lowStock.error}</ErrorMessage>
          {lowStock.loading && !lowStock.data && <Loading />}
          {lowStock.data && lowStock.data.items.length === 0 && (
            <Empty>Every variant has at least {LOW_STOCK_BELOW} units available.</Empty>
          )}
          {lowStock.data && lowStock.data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Variant</th>
                    <th scope="col">SKU</th>
                    <th scope="col" className="numeric">
                      Available
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {lowStock.data.items.map((item) => (
                    <tr key={item.variantId}>
                      <td>
                        <Link to={`/products/${item.productId}`}>{item.productName}</Link>
                        {item.title && <div className="cell-sub">{item.title}</div>}
                      </td>
                      <td>
                        <code>{item.sku}</code>
                      </td>
                      <td className="numeric">
                        <span className={item.available === 0 ? 'text-danger' : 'text-warning'}>
                          {item.available}
                        </span>
                        {item.reserved > 0 && <div className="cell-sub">{item.reserved} reserved</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
