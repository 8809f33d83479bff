import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { OrdersTables } from '../tables.js';

export interface DayRow {
  /** YYYY-MM-DD, in UTC. */
  day: string;
  orders: number;
  revenue: number;
}

/** The SQL of the staff dashboard's order figures. */
export class OrderStatsRepository {
  constructor(
    private readonly uow: UnitOfWork<OrdersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): OrderStatsRepository {
    return new OrderStatsRepository(this.uow, this.schema, ctx);
  }

  private get db(): Kysely<OrdersTables> {
    return this.uow.db(this.ctx) as Kysely<OrdersTables>;
  }

  /**
   * Orders placed and revenue (totals of the orders not cancelled) on each of the last `days` UTC
   * days, today included, oldest first; a day without orders is there with zeros. One aggregate
   * over the placed_at index.
   */
  async daily(days: number): Promise<DayRow[]> {
    const orders = sql.table(`${this.schema}.orders`);
    const { rows } = await sql<{ day: string; orders: number; revenue: string }>`
      with bounds as (select (now() at time zone 'UTC')::date as today),
      days as (
        select d::date as day
        from bounds, generate_series(today - ${days - 1}::int, today, interval '1 day') as d
      ),
      placed as (
        select (o.placed_at at time zone 'UTC')::date as day, o.status, o.total
        from ${orders} o, bounds
        where o.placed_at >= ((today - ${days - 1}::int)::timestamp at time zone 'UTC')
      )
      select to_char(days.day, 'YYYY-MM-DD') as day,
        count(placed.day)::int as orders,
        coalesce(sum(placed.total) filter (where placed.status <> 'cancelled'), 0)::bigint::text as revenue
      from days left join placed on placed.day = days.day
      group by days.day
      order by days.day`.execute(this.db);
    return rows.map((row) => ({ day: row.day, orders: row.orders, revenue: Number(row.revenue) }));
  }
}
