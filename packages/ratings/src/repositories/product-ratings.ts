import { sql } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { ProductRatingRow, RatingsTables } from '../tables.js';

/** A change of a product's rating: per star, how many visible reviews more (+1) or fewer (-1). */
export type StarDelta = Partial<Record<1 | 2 | 3 | 4 | 5, number>>;

const STARS = [1, 2, 3, 4, 5] as const;

/** The SQL of product ratings: sums and counts changed by atomic increments, never read-then-written. */
export class ProductRatingRepository {
  constructor(
    private readonly uow: UnitOfWork<RatingsTables>,
    private readonly schema: string,
  ) {}

  async find(ctx: RequestContext, productId: string): Promise<ProductRatingRow | null> {
    const row = await this.uow
      .db(ctx)
      .withSchema(this.schema)
      .selectFrom('product_ratings')
      .select([
        'product_id',
        'rating_sum',
        'rating_count',
        'stars_1',
        'stars_2',
        'stars_3',
        'stars_4',
        'stars_5',
        sql<number>`seq::float8`.as('seq'),
        'updated_at',
      ])
      .where('product_id', '=', productId)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Adds the delta to the product's rating and numbers the change, in one statement: the row stays
   * locked until the transaction ends, so concurrent changes apply one after the other and their
   * events carry increasing numbers in commit order. A delta that adds only is an upsert (the first
   * review creates the row); one that takes away updates the row the counted review made, since
   * the proposed row of an upsert is checked against the constraints before it meets the old one.
   */
  async apply(ctx: RequestContext, productId: string, delta: StarDelta): Promise<ProductRatingRow> {
    const n = (star: (typeof STARS)[number]) => delta[star] ?? 0;
    const count = STARS.reduce((total, star) => total + n(star), 0);
    const sum = STARS.reduce((total, star) => total + star * n(star), 0);
    const table = sql.table(`${this.schema}.product_ratings`);
    const set = sql`
        rating_sum = r.rating_sum + ${sum},
        rating_count = r.rating_count + ${count},
        stars_1 = r.stars_1 + ${n(1)},
        stars_2 = r.stars_2 + ${n(2)},
        stars_3 = r.stars_3 + ${n(3)},
        stars_4 = r.stars_4 + ${n(4)},
        stars_5 = r.stars_5 + ${n(5)},
        seq = r.seq + 1,
        updated_at = now()`;
    const returning = sql`returning r.product_id, r.rating_sum, r.rating_count, r.stars_1, r.stars_2,
        r.stars_3, r.stars_4, r.stars_5, r.seq::float8 as seq, r.updated_at`;
    const statement = STARS.every((star) => n(star) >= 0)
      ? sql<ProductRatingRow>`
        insert into ${table} as r
          (product_id, rating_sum, rating_count, stars_1, stars_2, stars_3, stars_4, stars_5, seq)
        values (${productId}, ${sum}, ${count}, ${n(1)}, ${n(2)}, ${n(3)}, ${n(4)}, ${n(5)}, 1)
        on conflict (product_id) do update set ${set}
        ${returning}`
      : sql<ProductRatingRow>`update ${table} as r set ${set} where r.product_id = ${productId} ${returning}`;
    const { rows } = await statement.execute(this.uow.db(ctx));
    if (!rows[0]) throw new Error(`product ${productId} has no rating to take a review from`);
    return rows[0];
  }
}
