import { authorize, STAFF, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { OrderStatsRepository } from '../repositories/order-stats.js';
import type { OrderRepository } from '../repositories/orders.js';
import type { OrderStats, OrderStatsQuery } from '../schemas/stats.js';
import type { OrdersTables } from '../tables.js';
import { orderSummary } from './order-view.js';

const RECENT_ORDERS = 5;

/** The figures of the staff dashboard: orders and revenue per UTC day, and the latest orders. */
export class OrderStatsService {
  private readonly repo: OrderStatsRepository;

  constructor(
    runtime: ServiceRuntime<OrdersTables>,
    private readonly orders: OrderRepository,
  ) {
    this.repo = new OrderStatsRepository(runtime.uow, runtime.schema);
  }

  async stats(ctx: RequestContext, query: OrderStatsQuery): Promise<OrderStats> {
    authorize(ctx, STAFF, 'see order figures');
    const [rows, recent] = await Promise.all([
      this.repo.in(ctx).daily(query.days),
      this.orders.in(ctx).list({}, RECENT_ORDERS),
    ]);
    const daily = rows.map((row) => ({ date: row.day, orders: row.orders, revenue: row.revenue }));
    const today = daily.at(-1)!;
    return {
      currency: ctx.store.currency,
      days: query.days,
      today,
      period: {
        from: daily[0]!.date,
        to: today.date,
        orders: daily.reduce((sum, day) => sum + day.orders, 0),
        revenue: daily.reduce((sum, day) => sum + day.revenue, 0),
      },
      daily,
      recentOrders: recent.slice(0, RECENT_ORDERS).map(orderSummary),
    };
  }
}
