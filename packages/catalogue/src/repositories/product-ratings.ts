import { sql } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { CatalogueTables } from '../tables.js';

/** A product's rating as shoppers and staff see it on the product: 0 and 0 without reviews. */
export interface ProductRatingView {
  average: number;
  count: number;
}

/** A rating announcement to apply: the rating after the change and the change's number. */
export interface RatingAnnouncement extends ProductRatingView {
  productId: string;
  seq: number;
}

/** The SQL of products' ratings, as the catalogue keeps them from the ratings service's events. */
export class ProductRatingRepository {
  constructor(
    private readonly uow: UnitOfWork<CatalogueTables>,
    private readonly schema: string,
  ) {}

  /**
   * Stores the announcement unless one with the same or a higher number is already stored, in one
   * statement; true when it was stored. Also takes a lock on the product's rating, held until the
   * transaction ends (see waitForWriters), which the row's own lock cannot give while it is a
   * new, uncommitted row.
   */
  async apply(ctx: RequestContext, announcement: RatingAnnouncement): Promise<boolean> {
    const table = sql.table(`${this.schema}.product_ratings`);
    const { productId, average, count, seq } = announcement;
    const { rows } = await sql<{ product_id: string }>`
      with guard as (select pg_advisory_xact_lock(${this.lockKey(productId)}))
      insert into ${table} as r (product_id, average, count, seq)
      select ${productId}, ${average}, ${count}, ${seq} from guard
      on conflict (product_id) do update
        set average = excluded.average, count = excluded.count, seq = excluded.seq, updated_at = now()
        where r.seq < excluded.seq
      returning r.product_id`.execute(this.uow.db(ctx));
    return rows.length > 0;
  }

  /** Resolves once no transaction holds the product's rating lock: the writer committed or rolled back. */
  async waitForWriters(productId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(${this.lockKey(productId)})`.execute(this.uow.db());
  }

  /** A product's rating, or zeros. */
  async find(ctx: RequestContext, productId: string): Promise<ProductRatingView> {
    const row = await this.uow
      .db(ctx)
      .withSchema(this.schema)
      .selectFrom('product_ratings')
      .select(['average', 'count'])
      .where('product_id', '=', productId)
      .executeTakeFirst();
    return row ? { average: Number(row.average), count: row.count } : { average: 0, count: 0 };
  }

  private lockKey(productId: string) {
    return sql`hashtextextended(${`${this.schema}.product_ratings:${productId}`}, 0)`;
  }
}
