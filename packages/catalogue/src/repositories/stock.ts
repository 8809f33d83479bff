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

/** A variant running low, with its product's name: a line of the staff dashboard's low-stock list. */
export interface LowStockRow extends StockRow {
  variant_id: string;
  product_id: string;
  product_name: string;
  product_status: 'draft' | 'published' | 'archived';
  title: string;
}

/** A SKU's row as a reservation found it, locked: what was available before the reservation held any. */
export interface LockedVariant {
  sku: string;
  variant_id: string;
  product_id: string;
  available: number;
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

  private table(name: string) {
    return sql.table(`${this.schema}.${name}`);
  }

  /**
   * Reserves every line or none, in one statement: the SKUs' rows are locked in byte order of SKU
   * (the order every stock write locks them in) and read as they are now; only if each is on sale
   * (its product published) and has the units does the statement claim the order reference (held
   * holdSeconds from now), hold the units and write the lines. `claimed` is false when it did not,
   * because something was short (`ok` false) or the reference was taken already; `locked` says what
   * each SKU found had available before.
   */
  async reserveAll(
    orderRef: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
    holdSeconds: number,
  ): Promise<{ ok: boolean; claimed: boolean; locked: LockedVariant[] }> {
    const skus = lines.map((l) => l.sku);
    const quantities = lines.map((l) => l.quantity);
    const { rows } = await sql<{ ok: boolean; claimed: boolean; locked: LockedVariant[] }>`
      with want as (
        select * from unnest(${skus}::text[], ${quantities}::integer[]) as w(sku, quantity)
      ),
      locked as materialized (
        select v.id as variant_id, v.sku, v.product_id, v.available, w.quantity
        from ${this.table('variants')} v
        join want w on w.sku = v.sku
        join ${this.table('products')} p on p.id = v.product_id and p.status = 'published'
        order by v.sku collate "C"
        for update of v
      ),
      verdict as (
        select count(*) = ${lines.length} and coalesce(bool_and(available >= quantity), false) as ok
        from locked
      ),
      claimed as (
        insert into ${this.table('reservations')} (order_ref, status, expires_at)
        select ${orderRef}, 'reserved', now() + make_interval(secs => ${holdSeconds}) from verdict where ok
        on conflict (order_ref) do nothing
        returning order_ref
      ),
      held as (
        update ${this.table('variants')} v
        set reserved = v.reserved + l.quantity, updated_at = now()
        from locked l, claimed c
        where v.id = l.variant_id
      ),
      written as (
        insert into ${this.table('reservation_lines')} (order_ref, sku, variant_id, quantity)
        select c.order_ref, l.sku, l.variant_id, l.quantity from locked l, claimed c
      )
      select (select ok from verdict) as ok,
        exists (select from claimed) as claimed,
        coalesce((select json_agg(locked order by sku collate "C") from locked), '[]') as locked`.execute(
      this.db,
    );
    return rows[0]!;
  }

  /**
   * Turns a held reservation into a sale in one statement: marks it committed and takes its units
   * off both the shelf and the hold, locking the rows in byte order of SKU. The reservation's lines
   * (in that order); none when it was not held (nothing changes then).
   */
  async commitAll(orderRef: string): Promise<ReservationLineRow[]> {
    const { rows } = await sql<ReservationLineRow>`
      with moved as (
        update ${this.table('reservations')} set status = 'committed', updated_at = now()
        where order_ref = ${orderRef} and status = 'reserved'
        returning order_ref
      ),
      lines as materialized (
        select l.sku, l.variant_id, l.quantity
        from ${this.table('reservation_lines')} l
        where l.order_ref in (select order_ref from moved)
      ),
      locked as materialized (
        select v.id from ${this.table('variants')} v
        where v.id in (select variant_id from lines)
        order by v.sku collate "C"
        for update
      ),
      shipped as (
        update ${this.table('variants')} v
        set on_hand = v.on_hand - l.quantity, reserved = v.reserved - l.quantity, updated_at = now()
        from lines l
        where v.id = l.variant_id and v.id in (select id from locked)
      )
      select sku, variant_id, quantity from lines order by sku collate "C"`.execute(this.db);
    return rows;
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

  /**
   * Variants of products not archived whose available units are below `below`, fewest first (then by
   * SKU); at most `limit`.
   */
  async findLowStock(below: number, limit: number): Promise<LowStockRow[]> {
    return this.q
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.product_id')
      .select([
        'v.sku',
        'v.on_hand',
        'v.reserved',
        'v.available',
        'v.id as variant_id',
        'v.product_id',
        'v.title',
        'p.name as product_name',
        'p.status as product_status',
      ])
      .where('v.available', '<', below)
      .where('p.status', '<>', 'archived')
      .orderBy('v.available')
      .orderBy(sql`v.sku collate "C"`)
      .limit(limit)
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
