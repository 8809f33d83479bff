import { serviceContext, type ServiceRuntime } from '@shopstack/kernel';
import type { CatalogueTables } from '../tables.js';
import type { StockService } from './stock.js';

/** Reservations one releaseExpired call takes at most; a sweep calls again while it finds that many. */
const BATCH = 100;

/**
 * Gives back the units of reservations whose hold ended: once when the catalogue starts, then every
 * catalogue.reservationSweepSeconds. Every process of the catalogue sweeps; releaseExpired makes
 * that safe. A failed sweep is logged and the next one tries again: it never stops the process.
 */
export class ReservationSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly stock: StockService,
    private readonly runtime: ServiceRuntime<CatalogueTables>,
  ) {}

  /** Sweeps once (resolving when done) and schedules the next sweeps. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.sweep();
  }

  /** Stops scheduling sweeps and waits for one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private sweep(): Promise<void> {
    this.running = this.releaseAll().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      // Unref'd: a pending sweep never keeps the process alive.
      this.timer = setTimeout(
        () => void this.sweep(),
        this.runtime.config.catalogue.reservationSweepSeconds * 1000,
      ).unref();
    });
    return this.running;
  }

  private async releaseAll(): Promise<void> {
    const ctx = serviceContext(this.runtime.store, this.runtime.logger, 'catalogue');
    try {
      let released = 0;
      let batch: number;
      do {
        batch = await this.stock.releaseExpired(ctx, BATCH);
        released += batch;
      } while (batch === BATCH && !this.stopped);
      if (released > 0) ctx.log.info({ released }, 'expired reservations released');
    } catch (err) {
      ctx.log.error({ err }, 'releasing expired reservations failed; the next sweep tries again');
    }
  }
}
