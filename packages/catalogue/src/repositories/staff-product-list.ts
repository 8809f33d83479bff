import { sql, type Kysely } from 'kysely';
import type { CatalogueTables, ProductTable } from '../tables.js';
import { likeLiteral } from './catalogue-write.js';

export interface StaffSummaryRow {
  id: string;
  slug: string;
  name: string;
  status: ProductTable['status'];
  category_id: string | null;
  currency: string;
  min_price: number | null;
  max_price: number | null;
  updated_at: Date;
  variant_count: number;
  available: number;
  /** numeric: the driver reads it as text. */
  rating_average: string;
  rating_count: number;
}

export interface StaffListFilter {
  offset: number;
  limit: number;
  status?: ProductTable['status'];
  q?: string;
}

/** The SQL of the staff product list: every status, filtered by status and by part of a name, slug or SKU. */
export class StaffProductListRepository {
  constructor(
    private readonly db: Kysely<CatalogueTables>,
    private readonly schema: string,
  ) {}

  /** One page of products, newest first, with variant count and total availability, and the total. */
  async page(filter: StaffListFilter): Promise<{ rows: StaffSummaryRow[]; total: number }> {
    const variants = sql.table(`${this.schema}.variants`);
    const ratings = sql.table(`${this.schema}.product_ratings`);
    let base = this.db.withSchema(this.schema).selectFrom('products as p');
    if (filter.status) base = base.where('p.status', '=', filter.status);
    if (filter.q) {
      const pattern = `%${likeLiteral(filter.q)}%`;
      base = base.where((eb) =>
        eb.or([
          eb('p.name', 'ilike', pattern),
          eb('p.slug', 'ilike', pattern),
          eb.exists(
            eb
              .selectFrom('variants as fv')
              .select(sql`1`.as('one'))
              .whereRef('fv.product_id', '=', 'p.id')
              .where('fv.sku', 'ilike', pattern),
          ),
        ]),
      );
    }
    const [rows, count] = await Promise.all([
      base
        .select([
          'p.id',
          'p.slug',
          'p.name',
          'p.status',
          'p.category_id',
          'p.currency',
          'p.min_price',
          'p.max_price',
          'p.updated_at',
          sql<number>`(select count(*)::int from ${variants} v where v.product_id = p.id)`.as(
            'variant_count',
          ),
          sql<number>`(select coalesce(sum(v.available), 0)::int from ${variants} v where v.product_id = p.id)`.as(
            'available',
          ),
          sql<string>`coalesce((select r.average from ${ratings} r where r.product_id = p.id), 0)`.as(
            'rating_average',
          ),
          sql<number>`coalesce((select r.count from ${ratings} r where r.product_id = p.id), 0)`.as(
            'rating_count',
          ),
        ])
        .orderBy('p.created_at', 'desc')
        .orderBy('p.id', 'desc')
        .offset(filter.offset)
        .limit(filter.limit)
        .execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: count.total };
  }
}
