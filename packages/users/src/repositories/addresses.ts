import type { Insertable, Kysely, Updateable } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { AddressRow, AddressTable, UsersTables } from '../tables.js';

/** All SQL of address books. Every query names the owner: nobody reads or changes another's address. */
export class AddressRepository {
  constructor(
    private readonly uow: UnitOfWork<UsersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): AddressRepository {
    return new AddressRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<UsersTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  /** The owner's addresses, the default first, then oldest first. */
  async list(userId: string): Promise<AddressRow[]> {
    return this.q
      .selectFrom('addresses')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('is_default', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async find(userId: string, id: string): Promise<AddressRow | null> {
    const row = await this.q
      .selectFrom('addresses')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ?? null;
  }

  async count(userId: string): Promise<number> {
    const row = await this.q
      .selectFrom('addresses')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insert(address: Insertable<AddressTable>): Promise<AddressRow> {
    return this.q.insertInto('addresses').values(address).returningAll().executeTakeFirstOrThrow();
  }

  async update(
    userId: string,
    id: string,
    patch: Omit<Updateable<AddressTable>, 'id' | 'user_id'>,
  ): Promise<AddressRow | null> {
    const row = await this.q
      .updateTable('addresses')
      .set({ ...patch, updated_at: new Date() })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Clears the owner's default address (before another becomes the default). */
  async clearDefault(userId: string): Promise<void> {
    await this.q
      .updateTable('addresses')
      .set({ is_default: false })
      .where('user_id', '=', userId)
      .where('is_default', '=', true)
      .execute();
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.q
      .deleteFrom('addresses')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteAll(userId: string): Promise<void> {
    await this.q.deleteFrom('addresses').where('user_id', '=', userId).execute();
  }
}
