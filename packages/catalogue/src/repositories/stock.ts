import { sql, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CatalogueTables, ReservationTable } from '../tables.js';

export interface StockRow {
  sku: string;
  on_hand: number;
  reserved: number;
  available: number;
}

export interface ReservationRow {
  order_ref: string;
  status: ReservationTable['status'];
}

export interface ReservationLineRow {
  sku: string;
  variant_id: string;
  quantity: number;
}

const stockColumns = ['sku', 'on_hand', 'reserved', 'available'] as const;

/**
 * All SQL of stock and reservations. Every stock change is one conditional UPDATE whose WHERE
 * clause states the rule it must not break, so concurrent callers cannot lose or oversell units.
 */
export class StockRepository {
  constructor(
    private readonly uow: UnitOfWork<CatalogueTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  /** This repository as a context sees it: its queries join the context's open transaction. */
  in(ctx: RequestContext): StockRepository {
    return new StockRepository(this.uow, this.schema, ctx);
  }

  private get db(): Kysely<CatalogueTables> {
    return this.uow.db(this.ctx);
  }

  private get q() {
    return this.db.withSchema(this.schema);
  }

  /**
   * Claims an order reference for a reservation held holdSeconds from now; false when it is already
   * taken (or being taken by a concurrent transaction that then commits).
   */
  async claimReservation(orderRef: string, holdSeconds: number): Promise<boolean> {
    const row = await this.q
      .insertInto('reservations')
      .values({
        order_ref: orderRef,
        status: 'reserved',
        expires_at: sql<Date>`now() + make_interval(secs => ${holdSeconds})`,
      })
      .onConflict((oc) => oc.column('order_ref').doNothing())
      .returning('order_ref')
      .executeTakeFirst();
    return row !== undefined;
  }

  async findReservation(orderRef: string): Promise<ReservationRow | null> {
    const row = await this.q
      .selectFrom('reservations')
      .select(['order_ref', 'status'])
      .where('order_ref', '=', orderRef)
      .executeTakeFirst();
    return row ?? null;
  }

  /** The lines of a reservation in byte order of SKU: the order stock rows are always locked in. */
  async reservationLines(orderRef: string): Promise<ReservationLineRow[]> {
    return this.q
      .selectFrom('reservation_lines')
      .select(['sku', 'variant_id', 'quantity'])
      .where('order_ref', '=', orderRef)
      .orderBy(sql`sku collate "C"`)
      .execute();
  }

  /**
   * Holds quantity units of a SKU if that many are available and its product is on sale (published);
   * null when the SKU is unknown, not on sale, or short.
   */
  async holdUnits(sku: string, quantity: number): Promise<{ id: string; product_id: string } | null> {
    const row = await this.q
      .updateTable('variants')
      .set({ reserved: sql`reserved + ${quantity}`, updated_at: sql`now()` })
      .where('sku', '=', sku)
      .where(sql<boolean>`on_hand - reserved >= ${quantity}`)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('products')
            .select('products.id')
            .whereRef('products.id', '=', 'variants.product_id')
            .where('products.status', '=', 'published'),
        ),
      )
      .returning(['id', 'product_id'])
      .executeTakeFirst();
    return row ?? null;
  }

  async insertReservationLines(orderRef: string, lines: ReservationLineRow[]): Promise<void> {
    if (!lines.length) return;
    await this.q
      .insertInto('reservation_lines')
      .values(
        lines.map((l) => ({
          order_ref: orderRef,
          sku: l.sku,
          variant_id: l.variant_id,
          quantity: l.quantity,
        })),
      )
      .execute();
  }

  /** Moves a reservation from one status to another; false when it was not in `from` (nothing changes then). */
  async transition(
    orderRef: string,
    from: ReservationRow['status'],
    to: ReservationRow['status'],
  ): Promise<boolean> {
    const row = await this.q
      .updateTable('reservations')
      .set({ status: to, updated_at: sql`now()` })
      .where('order_ref', '=', orderRef)
      .where('status', '=', from)
      .returning('order_ref')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Marks released one reservation still held past its expiry, skipping any another transaction has
   * locked (a concurrent sweep, or a commit or release under way); its order reference, or null when
   * there is none left to take.
   */
  async claimExpiredReservation(): Promise<string | null> {
    const row = await this.q
      .updateTable('reservations')
      .set({ status: 'released', updated_at: sql`now()` })
      .where('order_ref', '=', (eb) =>
        eb
          .selectFrom('reservations')
          .select('order_ref')
          .where('status', '=', 'reserved')
          .where('expires_at', '<', sql<Date>`now()`)
          .orderBy('expires_at')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .where('status', '=', 'reserved')
      .returning('order_ref')
      .executeTakeFirst();
    return row?.order_ref ?? null;
  }

  /** Gives held units back to the available pool; returns the variant's product id. */
  async returnUnits(variantId: string, quantity: number): Promise<string | undefined> {
    const row = await this.q
      .updateTable('variants')
      .set({ reserved: sql`reserved - ${quantity}`, updated_at: sql`now()` })
      .where('id', '=', variantId)
      .returning('product_id')
      .executeTakeFirst();
    return row?.product_id;
  }

  /** Turns held units into sold ones: they leave both the shelf and the hold. Returns the product id. */
  async shipUnits(variantId: string, quantity: number): Promise<string | undefined> {
    const row = await this.q
      .updateTable('variants')
      .set({
        on_hand: sql`on_hand - ${quantity}`,
        reserved: sql`reserved - ${quantity}`,
        updated_at: sql`now()`,
      })
      .where('id', '=', variantId)
      .returning('product_id')
      .executeTakeFirst();
    return row?.product_id;
  }

  /** Puts sold units back on the shelf (a cancelled order's); returns the variant's product id. */
  async restockUnits(variantId: string, quantity: number): Promise<string | undefined> {
    const row = await this.q
      .updateTable('variants')
      .set({ on_hand: sql`on_hand + ${quantity}`, updated_at: sql`now()` })
      .where('id', '=', variantId)
      .returning('product_id')
      .executeTakeFirst();
    return row?.product_id;
  }

  async findStock(sku: string): Promise<StockRow | null> {
    const row = await this.q
      .selectFrom('variants')
      .select(stockColumns)
      .where('sku', '=', sku)
      .executeTakeFirst();
    return row ?? null;
  }

  async findStocks(skus: string[]): Promise<StockRow[]> {
    if (!skus.length) return [];
    return this.q
      .selectFrom('variants')
      .select(stockColumns)
      .where('sku', 'in', skus)
      .orderBy(sql`sku collate "C"`)
      .execute();
  }

  /** Stock of a SKU whose product is published; null otherwise, so drafts stay invisible. */
  async findPublishedStock(sku: string): Promise<StockRow | null> {
    const row = await this.q
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.product_id')
      .select(['v.sku', 'v.on_hand', 'v.reserved', 'v.available'])
      .where('v.sku', '=', sku)
      .where('p.status', '=', 'published')
      .executeTakeFirst();
    return row ?? null;
  }

  /** A published product's variant by SKU or id, with its product and exact available units; null otherwise. */
  async findPublishedVariant(
    ref: { sku: string } | { variantId: string },
  ): Promise<{ variant_id: string; product_id: string; available: number } | null> {
    let query = this.q
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.product_id')
      .select(['v.id as variant_id', 'v.product_id', 'v.available'])
      .where('p.status', '=', 'published');
    query = 'sku' in ref ? query.where('v.sku', '=', ref.sku) : query.where('v.id', '=', ref.variantId);
    return (await query.executeTakeFirst()) ?? null;
  }

  /** Sets units on hand unless that would drop below what is reserved; null when refused or unknown. */
  async setOnHand(sku: string, onHand: number): Promise<(StockRow & { product_id: string }) | null> {
    const row = await this.q
      .updateTable('variants')
      .set({ on_hand: onHand, updated_at: sql`now()` })
      .where('sku', '=', sku)
      .where('reserved', '<=', onHand)
      .returning([...stockColumns, 'product_id'])
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Adds delta units on hand (negative to write off) unless the result would drop below what is
   * reserved or rise above max; null when refused or unknown. The check adds in bigint, so a sum past
   * the integer column's range is refused rather than failing the statement.
   */
  async adjustOnHand(
    sku: string,
    delta: number,
    max: number,
  ): Promise<(StockRow & { product_id: string }) | null> {
    const row = await this.q
      .updateTable('variants')
      .set({ on_hand: sql`on_hand + ${delta}`, updated_at: sql`now()` })
      .where('sku', '=', sku)
      .where(sql<boolean>`on_hand::bigint + ${delta} between reserved and ${max}`)
      .returning([...stockColumns, 'product_id'])
      .executeTakeFirst();
    return row ?? null;
  }
}
