import { serviceContext, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { OrdersTables } from '../tables.js';
import type { CheckoutService } from './checkout.js';
import type { OrderService } from './orders.js';

export interface RecoveryOutcome {
  finished: number;
  undone: number;
  /** Checkouts or cancellations left for a later run (a service could not be reached). */
  pending: number;
  settled: number;
}

/**
 * The recovery job: finishes or undoes every checkout left running longer than
 * orders.recoveryAgeSeconds (its process died, or a service it needed did not answer), and settles
 * cancelled orders whose refund or restock did not go through. It runs when the service starts and
 * then every orders.recoveryIntervalSeconds; several processes may run it at once (rows are claimed
 * with SKIP LOCKED).
 */
export class RecoveryJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly runtime: ServiceRuntime<OrdersTables>,
    private readonly checkout: CheckoutService,
    private readonly orders: OrderService,
  ) {}

  private context(): RequestContext {
    return serviceContext(this.runtime.store, this.runtime.logger, 'orders');
  }

  /** One pass over what is stale; `ageSeconds` defaults to the configured age. */
  async run(options: { ageSeconds?: number; limit?: number } = {}): Promise<RecoveryOutcome> {
    const ctx = this.context();
    const age = options.ageSeconds ?? this.runtime.config.orders.recoveryAgeSeconds;
    const limit = options.limit ?? 100;
    const outcome: RecoveryOutcome = { finished: 0, undone: 0, pending: 0, settled: 0 };
    for (const row of await this.checkout.checkouts.in(ctx).claimStale(age, limit)) {
      try {
        const result = await this.checkout.recover(ctx, row);
        outcome[result] += 1;
      } catch (err) {
        outcome.pending += 1;
        ctx.log.warn({ err, checkoutId: row.id }, 'checkout not recovered yet; next run retries');
      }
    }
    for (const order of await this.orders.repo.in(ctx).claimUnsettled(age, limit)) {
      try {
        await this.orders.settle(ctx, order);
        outcome.settled += 1;
      } catch (err) {
        outcome.pending += 1;
        ctx.log.warn({ err, orderId: order.id }, 'cancelled order not settled yet; next run retries');
      }
    }
    if (outcome.finished + outcome.undone + outcome.settled + outcome.pending > 0) {
      ctx.log.info(outcome, 'checkout recovery');
    }
    return outcome;
  }

  /** Runs once now, then on the configured interval, never two passes at once. */
  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.run()
        .catch((err: unknown) => this.runtime.logger.error({ err }, 'checkout recovery failed'))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.runtime.config.orders.recoveryIntervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
