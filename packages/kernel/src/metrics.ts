import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A monotonic count of this process (prom-client's Counter): `inc()` or `inc(n)`. */
export type MetricCounter = Counter<string>;

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /**
   * A counter of this process's registry, made on first use and shared by later calls with the
   * same name: how a service counts events of its own (reservations released by expiry, say).
   */
  counter(name: string, help: string, labelNames?: readonly string[]): MetricCounter;
  /**
   * A gauge read when metrics are scraped: `collect` sets its values then (an outbox's backlog,
   * say). Made once per name; a later call with the same name keeps the first collector.
   */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>,
  ): void;
}

/** A metrics registry per process: HTTP RED metrics by route pattern plus Node process metrics. */
export function createMetrics(labels: Record<string, string>): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const counter = (name: string, help: string, labelNames: readonly string[] = []): MetricCounter => {
    const existing = registry.getSingleMetric(name);
    if (existing instanceof Counter) return existing as MetricCounter;
    return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
  };
  const gauge: Metrics['gauge'] = (name, help, labelNames, collect) => {
    if (registry.getSingleMetric(name)) return;
    new Gauge({
      name,
      help,
      labelNames: [...labelNames],
      registers: [registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels, value));
      },
    });
  };
  return { registry, httpDuration, counter, gauge };
}
