import type { Insertable, Kysely } from 'kysely';
import type { SigningKeyRow, SigningKeyTable, UsersTables } from '../tables.js';

/** SQL of the signing keys of access tokens (read at start and when a token names an unknown key). */
export class SigningKeyRepository {
  constructor(
    private readonly db: Kysely<UsersTables>,
    private readonly schema: string,
  ) {}

  private get q(): Kysely<UsersTables> {
    return this.db.withSchema(this.schema);
  }

  /** Every key, the active one (not retired) first. */
  async all(): Promise<SigningKeyRow[]> {
    return this.q
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('retired_at', (ob) => ob.desc().nullsFirst())
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Adds the active key unless another process added one first (one active key at most). */
  async addActive(key: Insertable<SigningKeyTable>): Promise<void> {
    await this.q
      .insertInto('signing_keys')
      .values(key)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
