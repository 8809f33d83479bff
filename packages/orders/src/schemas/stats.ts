import { Type, type Static } from '@sinclair/typebox';
import { Currency } from '@shopstack/kernel';
import { OrderSummary } from './order.js';

export const OrderStatsQuery = Type.Object(
  {
    days: Type.Integer({
      minimum: 1,
      maximum: 365,
      default: 30,
      description: 'Days counted, today (UTC) included',
    }),
  },
  { additionalProperties: false },
);
export type OrderStatsQuery = Static<typeof OrderStatsQuery>;

const Day = Type.String({ format: 'date', description: 'A day in UTC, e.g. 2025-03-31' });
const Count = Type.Integer({ minimum: 0, description: 'Orders placed, cancelled ones included' });
const Revenue = Type.Integer({
  minimum: 0,
  description: 'Sum of the totals of the orders placed, cancelled ones excluded, in minor units',
});

export const DayTotals = Type.Object(
  { date: Day, orders: Count, revenue: Revenue },
  { additionalProperties: false },
);
export type DayTotals = Static<typeof DayTotals>;

export const OrderStats = Type.Object(
  {
    currency: Currency,
    days: Type.Integer({ minimum: 1, maximum: 365 }),
    today: DayTotals,
    period: Type.Object(
      { from: Day, to: Day, orders: Count, revenue: Revenue },
      { additionalProperties: false, description: 'The whole period, today included' },
    ),
    daily: Type.Array(DayTotals, {
      description: 'Every day of the period, oldest first, days without orders too',
    }),
    recentOrders: Type.Array(OrderSummary, { maxItems: 5, description: 'The last five orders placed' }),
  },
  { additionalProperties: false },
);
export type OrderStats = Static<typeof OrderStats>;
