import {
  assertInput,
  authorize,
  STAFF,
  Conflict,
  InvalidInput,
  InvalidState,
  NotFound,
  type AccessRule,
  type MetricCounter,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { CatalogueChange } from '../search/catalogue-index.js';
import { StockRepository, type ReservationLineRow, type StockRow } from '../repositories/stock.js';
import { AdjustStockInput, MAX_ON_HAND, SetStockInput } from '../schemas/admin.js';
import { STOCK_CAP, type PublicAvailability, type StockExposure } from '../schemas/common.js';
import {
  ReserveStockInput,
  type LowStockList,
  type LowStockQuery,
  type PublicStock,
  type ReservationResult,
  type ReservationStatus,
  type StockLevel,
} from '../schemas/stock.js';
import type { CatalogueTables } from '../tables.js';

interface MergedLine {
  sku: string;
  quantity: number;
  /** Position of the SKU's first line in the request, to name the offending field. */
  index: number;
}

/** Merges lines of the same SKU and sorts by SKU (byte order): every transaction locks stock rows in this order. */
function mergeLines(lines: ReserveStockInput['lines']): MergedLine[] {
  const merged = new Map<string, MergedLine>();
  lines.forEach((line, index) => {
    const seen = merged.get(line.sku);
    if (seen) seen.quantity += line.quantity;
    else merged.set(line.sku, { sku: line.sku, quantity: line.quantity, index });
  });
  return [...merged.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

function result(
  orderRef: string,
  status: ReservationStatus,
  lines: ReadonlyArray<{ sku: string; quantity: number }>,
) {
  return { orderRef, status, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) };
}

function sameLines(
  a: ReadonlyArray<{ sku: string; quantity: number }>,
  b: ReadonlyArray<{ sku: string; quantity: number }>,
) {
  return (
    a.length === b.length && a.every((line, i) => line.sku === b[i]!.sku && line.quantity === b[i]!.quantity)
  );
}

/** A released reservation is over: its units went back to stock and its reference cannot hold any again. */
function reservationReleased(orderRef: string, refused: 'reserved again' | 'committed'): InvalidState {
  return new InvalidState(
    `The reservation of order ${orderRef} was released: its units went back to stock, and it cannot be ${refused}.`,
    { code: 'reservation_released', orderRef, reservationStatus: 'released' },
  );
}

/** A committed reservation is over: its units are sold. */
function reservationCommitted(orderRef: string, refused: 'reserved again' | 'released'): InvalidState {
  return new InvalidState(
    `The reservation of order ${orderRef} was committed: its units are sold, and it cannot be ${refused}.`,
    { code: 'reservation_committed', orderRef, reservationStatus: 'committed' },
  );
}

/** Units available as shoppers may see them; the SQL of public reads builds the same (catalogue-read.ts). */
function publicAvailability(available: number, exposure: StockExposure): PublicAvailability {
  const units = Math.max(available, 0);
  switch (exposure) {
    case 'exact':
      return { inStock: units > 0, available: units, moreAvailable: false };
    case 'capped':
      return { inStock: units > 0, available: Math.min(units, STOCK_CAP), moreAvailable: units > STOCK_CAP };
    case 'status':
      return { inStock: units > 0 };
  }
}

function stockLevel(row: StockRow): StockLevel {
  return {
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.available,
    inStock: row.available > 0,
  };
}

/** Reservations are made by checkout (the orders service) and by staff; nobody else holds stock. */
export const RESERVES: AccessRule = { staff: true, services: ['orders'] };

/** Releasing expired reservations is the catalogue's own sweep (see ReservationSweeper), or staff's. */
export const SWEEPS: AccessRule = { staff: true, services: ['catalogue'] };

/**
 * Stock levels and reservations. Units are held by single conditional updates inside one
 * transaction per reservation, so stock is never oversold however many checkouts race.
 */
export class StockService {
  private readonly repo: StockRepository;
  private readonly stockExposure: StockExposure;
  private readonly holdSeconds: number;
  private readonly expiredCount: MetricCounter;

  constructor(
    private readonly runtime: ServiceRuntime<CatalogueTables>,
    private readonly changed: (change: CatalogueChange) => Promise<void>,
  ) {
    this.repo = new StockRepository(runtime.uow, runtime.schema);
    this.stockExposure = runtime.config.catalogue.stockExposure;
    this.holdSeconds = runtime.config.catalogue.reservationHoldMinutes * 60;
    this.expiredCount = runtime.metrics.counter(
      'catalogue_reservations_expired_total',
      'Reservations released because their hold ended before they were committed or released',
    );
  }

  /**
   * Reserves every line or none, held for holdSeconds (catalogue.reservationHoldMinutes by
   * default) unless committed or released first. Repeating the same lines under an active orderRef
   * returns that reservation and holds nothing more (its hold still counts from the first call);
   * an orderRef whose reservation was released or committed is refused.
   */
  async reserve(ctx: RequestContext, input: ReserveStockInput): Promise<ReservationResult> {
    return (await this.reserveWithOutcome(ctx, input)).reservation;
  }

  /** Like reserve, and says whether this call created the reservation (false for a repeat). */
  async reserveWithOutcome(
    ctx: RequestContext,
    input: ReserveStockInput,
  ): Promise<{ reservation: ReservationResult; created: boolean }> {
    authorize(ctx, RESERVES, 'reserve stock');
    assertInput(ReserveStockInput, input);
    const { orderRef } = input;
    const lines = mergeLines(input.lines);
    const repo = this.repo.in(ctx);
    // One statement locks the rows and holds all or nothing. A concurrent repeat of the reference
    // waits for the rows, then finds the reference taken and answers the reservation it made.
    const outcome = await repo.reserveAll(orderRef, lines, input.holdSeconds ?? this.holdSeconds);
    if (!outcome.claimed) {
      if (outcome.ok || (await repo.findReservation(orderRef))) {
        return { created: false, reservation: await this.repeated(repo, orderRef, lines) };
      }
      const found = new Map(outcome.locked.map((row) => [row.sku, row]));
      await this.refuse(
        repo,
        lines.filter((line) => (found.get(line.sku)?.available ?? 0) < line.quantity),
      );
    }
    // Shoppers see stock only as the store's exposure shows it: most holds change nothing they see.
    const products = outcome.locked
      .filter((row) => this.shows(row.available) !== this.shows(row.available - row.quantity))
      .map((row) => row.product_id);
    if (products.length) await this.changed({ products: [...new Set(products)] });
    ctx.log.info({ orderRef, lines: lines.length }, 'stock reserved');
    return { created: true, reservation: result(orderRef, 'reserved', outcome.locked) };
  }

  /** What shoppers are shown of `available` units, as a key to compare. */
  private shows(available: number): string {
    return JSON.stringify(publicAvailability(available, this.stockExposure));
  }

  /** Gives a reservation's units back. Releasing twice is harmless; a committed reservation cannot be released. */
  async release(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    authorize(ctx, RESERVES, 'release reserved stock');
    const outcome = await this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      if (await tx.transition(orderRef, 'reserved', 'released')) {
        const { lines, products } = await this.giveBack(tx, orderRef);
        return { changed: true, reservation: result(orderRef, 'released', lines), products };
      }
      const current = await this.existing(tx, orderRef);
      if (current.status === 'committed' || current.status === 'restocked')
        throw reservationCommitted(orderRef, 'released');
      return { changed: false, reservation: current, products: [] };
    });
    if (outcome.changed) {
      await this.changed({ products: outcome.products });
      ctx.log.info({ orderRef }, 'stock released');
    }
    return outcome.reservation;
  }

  /**
   * Releases up to `limit` reservations still held past their expiry, each as release() does (its
   * units back to stock, the read index told), and answers how many. Each is claimed in a
   * transaction of its own with SKIP LOCKED, so processes sweeping at once never release one twice
   * nor wait for each other. A reservation past its expiry that no sweep took yet can still be
   * committed: the orders service finishes or compensates a checkout well before its hold ends, and
   * a sale it completed is worth more than a hold a few seconds over.
   */
  async releaseExpired(ctx: RequestContext, limit = 100): Promise<number> {
    authorize(ctx, SWEEPS, 'release expired reservations');
    const products = new Set<string>();
    let released = 0;
    try {
      while (released < limit) {
        const outcome = await this.runtime.uow.transaction(ctx, async (txCtx) => {
          const tx = this.repo.in(txCtx);
          const orderRef = await tx.claimExpiredReservation();
          return orderRef === null ? null : { orderRef, ...(await this.giveBack(tx, orderRef)) };
        });
        if (!outcome) break;
        released += 1;
        outcome.products.forEach((product) => products.add(product));
        ctx.log.info({ orderRef: outcome.orderRef }, 'stock released: the reservation expired');
      }
    } finally {
      if (released > 0) {
        this.expiredCount.inc(released);
        await this.changed({ products: [...products] });
      }
    }
    return released;
  }

  /**
   * Turns a reservation into a sale: on hand and reserved both drop. Committing twice is harmless.
   * A reservation past its hold is committed too, as long as no sweep released it yet.
   */
  async commit(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    authorize(ctx, RESERVES, 'commit reserved stock');
    const repo = this.repo.in(ctx);
    const lines = await repo.commitAll(orderRef);
    if (lines.length) {
      // On hand and reserved drop alike: what can be ordered, all shoppers see, stays as it was.
      ctx.log.info({ orderRef }, 'stock committed');
      return result(orderRef, 'committed', lines);
    }
    const current = await this.existing(repo, orderRef);
    if (current.status === 'released') throw reservationReleased(orderRef, 'committed');
    if (current.status === 'restocked') throw reservationCommitted(orderRef, 'reserved again');
    return current;
  }

  /**
   * Puts a committed reservation's units back on the shelf (a cancelled or returned order): on hand
   * rises by what was sold. Restocking twice is harmless; only a committed reservation can be restocked.
   */
  async restock(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    authorize(ctx, RESERVES, 'restock sold units');
    const outcome = await this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      if (await tx.transition(orderRef, 'committed', 'restocked')) {
        const lines = await tx.reservationLines(orderRef);
        const products: string[] = [];
        for (const line of lines) {
          const product = await tx.restockUnits(line.variant_id, line.quantity);
          if (product) products.push(product);
        }
        return { changed: true, reservation: result(orderRef, 'restocked', lines), products };
      }
      const current = await this.existing(tx, orderRef);
      if (current.status !== 'restocked') {
        throw new InvalidState(
          `The reservation of order ${orderRef} is ${current.status}, not committed: only sold units can be restocked (release held ones).`,
          { code: 'reservation_not_committed', orderRef, reservationStatus: current.status },
        );
      }
      return { changed: false, reservation: current, products: [] };
    });
    if (outcome.changed) {
      await this.changed({ products: outcome.products });
      ctx.log.info({ orderRef }, 'stock restocked');
    }
    return outcome.reservation;
  }

  /** A reservation as it stands. */
  async getReservation(ctx: RequestContext, orderRef: string): Promise<ReservationResult> {
    authorize(ctx, RESERVES, 'see reservations');
    return this.existing(this.repo, orderRef);
  }

  /** Sets the units on hand after a count; refused when fewer than the units already reserved. */
  async setStock(ctx: RequestContext, sku: string, input: SetStockInput): Promise<StockLevel> {
    authorize(ctx, STAFF, 'set stock levels');
    assertInput(SetStockInput, input);
    const row = await this.repo.setOnHand(sku, input.onHand);
    if (!row) throw await this.stockRefusal(sku, input.onHand);
    await this.changed({ products: [row.product_id] });
    ctx.log.info({ sku, onHand: row.on_hand }, 'stock set');
    return stockLevel(row);
  }

  /** Adds (or with a negative delta removes) units on hand in one atomic update. */
  async adjustStock(ctx: RequestContext, sku: string, input: AdjustStockInput): Promise<StockLevel> {
    authorize(ctx, STAFF, 'adjust stock levels');
    assertInput(AdjustStockInput, input);
    const row = await this.repo.adjustOnHand(sku, input.delta, MAX_ON_HAND);
    if (!row) {
      const current = await this.repo.findStock(sku);
      throw await this.stockRefusal(sku, (current?.on_hand ?? 0) + input.delta);
    }
    await this.changed({ products: [row.product_id] });
    ctx.log.info({ sku, delta: input.delta, onHand: row.on_hand }, 'stock adjusted');
    return stockLevel(row);
  }

  /** On hand, reserved and available units of a SKU, whatever its product's status. */
  async getStockLevel(ctx: RequestContext, sku: string): Promise<StockLevel> {
    authorize(ctx, STAFF, 'see stock levels');
    const row = await this.repo.findStock(sku);
    if (!row) throw new NotFound(`There is no SKU ${sku}.`, { code: 'sku_not_found', sku });
    return stockLevel(row);
  }

  /** Variants of products on sale or drafted whose available units are below a threshold, fewest first. */
  async listLowStock(ctx: RequestContext, query: LowStockQuery): Promise<LowStockList> {
    authorize(ctx, STAFF, 'see stock levels');
    const rows = await this.repo.in(ctx).findLowStock(query.below, query.limit);
    return {
      items: rows.map((row) => ({
        variantId: row.variant_id,
        productId: row.product_id,
        productName: row.product_name,
        productStatus: row.product_status === 'draft' ? 'draft' : 'published',
        sku: row.sku,
        title: row.title,
        onHand: row.on_hand,
        reserved: row.reserved,
        available: row.available,
      })),
    };
  }

  /**
   * Availability of a published product's SKU. Read from the row rather than the cache: stock is
   * what changes most often, and this is one unique-index lookup.
   */
  async getPublicStock(_ctx: RequestContext, sku: string): Promise<PublicStock> {
    const row = await this.repo.findPublishedStock(sku);
    if (!row) throw new NotFound(`There is no SKU ${sku} on sale.`, { code: 'sku_not_found', sku });
    return { sku: row.sku, ...publicAvailability(row.available, this.stockExposure) };
  }

  /** Returns the units of a reservation just marked released to stock, in the order its lines lock. */
  private async giveBack(
    tx: StockRepository,
    orderRef: string,
  ): Promise<{ lines: ReservationLineRow[]; products: string[] }> {
    const lines = await tx.reservationLines(orderRef);
    const products: string[] = [];
    for (const line of lines) {
      const product = await tx.returnUnits(line.variant_id, line.quantity);
      if (product) products.push(product);
    }
    return { lines, products };
  }

  private async existing(tx: StockRepository, orderRef: string): Promise<ReservationResult> {
    const reservation = await tx.findReservation(orderRef);
    if (!reservation)
      throw new NotFound(`There is no reservation ${orderRef}.`, { code: 'reservation_not_found', orderRef });
    return result(orderRef, reservation.status, await tx.reservationLines(orderRef));
  }

  /**
   * A repeat of an order reference: the same lines of an active reservation return it unchanged.
   * A reference whose reservation ended (released or committed) is never reserved again, so a late
   * retry cannot silently hold nothing or sell twice.
   */
  private async repeated(
    tx: StockRepository,
    orderRef: string,
    requested: MergedLine[],
  ): Promise<ReservationResult> {
    const current = await this.existing(tx, orderRef);
    if (current.status === 'released') throw reservationReleased(orderRef, 'reserved again');
    if (current.status === 'committed' || current.status === 'restocked')
      throw reservationCommitted(orderRef, 'reserved again');
    if (!sameLines(current.lines, requested)) {
      throw new Conflict(
        `Order ${orderRef} already holds an active reservation of other lines; a reservation cannot be changed: reserve the new lines under another order reference.`,
        { code: 'reservation_lines_differ', orderRef, reserved: current.lines },
      );
    }
    return current;
  }

  /** Explains why lines could not be held (unknown SKU, product not on sale, or too few units); throwing rolls every line back. */
  private async refuse(tx: StockRepository, short: MergedLine[]): Promise<never> {
    const rows = new Map((await tx.findStocks(short.map((l) => l.sku))).map((r) => [r.sku, r]));
    const unknown = short.find((line) => !rows.has(line.sku));
    if (unknown) {
      throw new InvalidInput(`There is no SKU ${unknown.sku}.`, `lines.${unknown.index}.sku`, {
        code: 'sku_not_found',
        sku: unknown.sku,
      });
    }
    const published = await Promise.all(short.map((line) => tx.findPublishedStock(line.sku)));
    const offSale = short.find((_, i) => published[i] === null);
    if (offSale) {
      throw new InvalidInput(`SKU ${offSale.sku} is not on sale.`, `lines.${offSale.index}.sku`, {
        code: 'sku_not_on_sale',
        sku: offSale.sku,
      });
    }
    const shortages = short.map((line) => ({
      sku: line.sku,
      requested: line.quantity,
      available: rows.get(line.sku)!.available,
    }));
    const first = shortages[0]!;
    throw new Conflict(`Not enough stock for ${shortages.map((s) => s.sku).join(', ')}.`, {
      code: 'out_of_stock',
      ...first,
      shortages,
    });
  }

  private async stockRefusal(sku: string, wanted: number): Promise<Error> {
    const current = await this.repo.findStock(sku);
    if (!current) return new NotFound(`There is no SKU ${sku}.`, { code: 'sku_not_found', sku });
    if (wanted < 0)
      return new Conflict(`Stock of ${sku} cannot go below zero.`, {
        code: 'stock_below_zero',
        sku,
        onHand: current.on_hand,
      });
    if (wanted > MAX_ON_HAND) {
      return new Conflict(`Stock of ${sku} cannot rise above ${MAX_ON_HAND} units.`, {
        code: 'stock_above_maximum',
        sku,
        onHand: current.on_hand,
        max: MAX_ON_HAND,
      });
    }
    return new Conflict(`${current.reserved} units of ${sku} are reserved: on hand cannot drop below that.`, {
      code: 'stock_reserved',
      sku,
      reserved: current.reserved,
      requested: wanted,
    });
  }
}
