import { serviceContext, type ServiceRuntime } from '@shopstack/kernel';
import type { ShippingTables } from '../tables.js';
import type { ShipmentService } from './shipments.js';

/**
 * The simulated carrier, ShopStack Post: every shipping.carrierIntervalMs it takes each shipment
 * whose next step is due one step on (label created, in transit, delivered), after the delays of
 * shipping.carrierDelaysMs. Due rows are claimed FOR UPDATE SKIP LOCKED in one transaction with the
 * steps they take, so several processes may run it and a step never happens twice.
 */
export class CarrierJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly runtime: ServiceRuntime<ShippingTables>,
    private readonly shipments: ShipmentService,
  ) {}

  /** One pass: takes up to `limit` due shipments one step on; answers how many moved. */
  async run(options: { limit?: number; now?: Date } = {}): Promise<number> {
    const ctx = serviceContext(this.runtime.store, this.runtime.logger, 'shipping');
    const now = options.now ?? new Date();
    const moved = await this.runtime.uow.transaction(ctx, async (tx) => {
      let count = 0;
      for (const row of await this.shipments.repo.claimDue(tx, now, options.limit ?? 100)) {
        if (await this.shipments.advance(tx, row, now)) count += 1;
      }
      return count;
    });
    if (moved > 0) ctx.log.debug({ moved }, 'carrier moved shipments on');
    return moved;
  }

  /** Runs on the configured interval, never two passes at once in this process. */
  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.run()
        .catch((err: unknown) =>
          this.runtime.logger.error({ err }, 'carrier pass failed; the next one retries'),
        )
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.runtime.config.shipping.carrierIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
