import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { fractionDigits, formatMoney } from '../money.js';

interface Day {
  date: string;
  orders: number;
  revenue: number;
}

const shortDate = (date: string) =>
  new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(date),
  );

/**
 * Orders (bars) and revenue (line) per day. The chart is a picture: the same figures are in the
 * table below it, for screen readers and for anyone who wants the numbers.
 */
export default function RevenueChart({ daily, currency }: { daily: Day[]; currency: string }) {
  const scale = 10 ** fractionDigits(currency);
  const points = daily.map((day) => ({ ...day, label: shortDate(day.date), major: day.revenue / scale }));
  const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  // No drawing animation for people who asked their system for less motion.
  const animate = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  return (
    <figure className="chart">
      <div className="chart-canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart
            data={points}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis dataKey="label" tick={{ fill: 'var(--text-muted)', fontSize: 12 }} minTickGap={16} />
            <YAxis
              yAxisId="revenue"
              tick={{ fill: 'var(--text-muted)', fontSize: 12 }}
              tickFormatter={(value: number) => compact.format(value)}
              width={48}
            />
            <YAxis
              yAxisId="orders"
              orientation="right"
              allowDecimals={false}
              tick={{ fill: 'var(--text-muted)', fontSize: 12 }}
              width={32}
            />
            <Tooltip
              contentStyle={{ borderRadius: 8, borderColor: 'var(--border-strong)' }}
              labelStyle={{ color: 'var(--text)', fontWeight: 600 }}
              itemStyle={{ color: 'var(--text)' }}
              formatter={(value, name) =>
                name === 'Revenue' ? formatMoney(Math.round(Number(value) * scale), currency) : String(value)
              }
            />
            <Legend formatter={(value) => <span style={{ color: 'var(--text)' }}>{value}</span>} />
            <Bar
              yAxisId="orders"
              dataKey="orders"
              name="Orders"
              isAnimationActive={animate}
              fill="var(--chart-bar)"
              radius={[3, 3, 0, 0]}
            />
            <Line
              yAxisId="revenue"
              dataKey="major"
              name="Revenue"
              isAnimationActive={animate}
              stroke="var(--accent)"
              strokeWidth={2}
              dot={false}
              type="monotone"
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption>
        <details>
          <summary>The figures as a table</summary>
          <div className="table-wrap">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="numeric">
                    Orders
                  </th>
                  <th scope="col" className="numeric">
                    Revenue
                  </th>
                </tr>
              </thead>
              <tbody>
                {daily.map((day) => (
                  <tr key={day.date}>
                    <td>{shortDate(day.date)}</td>
                    <td className="numeric">{day.orders}</td>
                    <td className="numeric">{formatMoney(day.revenue, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}
