import { sql, type Insertable, type Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { PaymentTables, PaymentTokenTable, TokenRow } from '../tables.js';

/** All SQL of card tokens. */
export class TokenRepository {
  constructor(
    private readonly uow: UnitOfWork<PaymentTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): TokenRepository {
    return new TokenRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<PaymentTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  async insert(row: Insertable<PaymentTokenTable>): Promise<TokenRow> {
    return this.q.insertInto('payment_tokens').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** A token, locked for update: two authorizations cannot both consume it. */
  async lock(id: string): Promise<TokenRow | null> {
    const row = await this.q
      .selectFrom('payment_tokens')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  /** The update marking a token used, not yet run: it is written along with the authorization that used it. */
  usedUpdate(id: string) {
    return this.q
      .updateTable('payment_tokens')
      .set({ used_at: sql`now()` })
      .where('id', '=', id)
      .where('used_at', 'is', null);
  }
}
