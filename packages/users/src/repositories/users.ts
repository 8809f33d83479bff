import { sql, type Kysely, type Updateable } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { UserRow, UsersTables, UserTable } from '../tables.js';

export type NewUser = Pick<UserTable, 'id' | 'email' | 'password_hash' | 'name' | 'phone' | 'role'>;

/** Where a page of the customer list ends: its last row's creation time (to the microsecond, UTC) and id. */
export interface CustomerPageAfter {
  /** e.g. 2025-03-31T12:00:00.123456 */
  createdAt: string;
  id: string;
}

/** The constraint a unique violation broke, or undefined for any other error. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e && e.code === '23505' && typeof e.constraint === 'string' ? e.constraint : undefined;
}

/** All SQL of accounts. Deleted accounts stay as tombstones: reads of live accounts skip them. */
export class UserRepository {
  constructor(
    private readonly uow: UnitOfWork<UsersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  /** This repository as a context sees it: its queries join the context's open transaction. */
  in(ctx: RequestContext): UserRepository {
    return new UserRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<UsersTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  /** Inserts an account; null when the e-mail address is taken (also by a concurrent insert). */
  async insert(user: NewUser): Promise<UserRow | null> {
    const row = await this.q
      .insertInto('users')
      .values(user)
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async findActiveByEmail(email: string): Promise<UserRow | null> {
    const row = await this.q
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row ?? null;
  }

  async findActiveById(id: string): Promise<UserRow | null> {
    const row = await this.q
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row ?? null;
  }

  /** Locks a live account's row until the transaction ends (changes to what it owns queue up behind). */
  async lockActive(id: string): Promise<UserRow | null> {
    const row = await this.q
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'active')
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Changes a live account; null when there is none (any more). */
  async update(
    id: string,
    patch: Pick<Updateable<UserTable>, 'name' | 'phone' | 'password_hash'>,
  ): Promise<UserRow | null> {
    const row = await this.q
      .updateTable('users')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Whether any staff account (staff or admin) is live: a new store has none. */
  async anyStaff(): Promise<boolean> {
    const row = await this.q
      .selectFrom('users')
      .select('id')
      .where('role', '<>', 'customer')
      .where('status', '=', 'active')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * A page of live customer accounts, newest first, whose name or e-mail address contains `q`; one row
   * more than `limit` when there are more. Each row carries its creation time to the microsecond
   * (`cursor_at`), so the next page starts exactly after it.
   */
  async listCustomers(
    filter: { q?: string },
    limit: number,
    after?: CustomerPageAfter,
  ): Promise<Array<UserRow & { cursor_at: string }>> {
    let query = this.q
      .selectFrom('users')
      .selectAll()
      .select(
        sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('cursor_at'),
      )
      .where('role', '=', 'customer')
      .where('status', '=', 'active');
    if (filter.q !== undefined) {
      const pattern = `%${filter.q.trim().replace(/[\\%_]/g, '\\$&')}%`;
      query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('email', 'ilike', pattern)]));
    }
    if (after) {
      query = query.where(
        sql<boolean>`(created_at, id) < (${after.createdAt}::timestamp at time zone 'UTC', ${after.id})`,
      );
    }
    return query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /**
   * Erases an account's personal data, keeping its id as a tombstone so that references elsewhere
   * stay unambiguous; the e-mail address becomes one that cannot be registered or signed in with.
   */
  async erase(id: string, tombstoneEmail: string): Promise<UserRow | null> {
    const row = await this.q
      .updateTable('users')
      .set({
        email: tombstoneEmail,
        password_hash: null,
        name: '',
        phone: null,
        status: 'deleted',
        deleted_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }
}
