import type { ColumnType, Generated, Selectable } from 'kysely';

/** Row types of the users schema (see migrations/). */

/** Roles of accounts: customers shop; staff run the shop; admins also manage staff. */
export type AccountRole = 'customer' | 'staff' | 'admin';
export type AccountStatus = 'active' | 'deleted';

export interface UserTable {
  id: string;
  /** Normalised (trimmed, lower-case); a tombstone once the account is deleted. */
  email: string;
  /** argon2id PHC string; null once the account is deleted. */
  password_hash: string | null;
  name: string;
  phone: string | null;
  role: AccountRole;
  status: Generated<AccountStatus>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Date | null;
}

export interface AddressTable {
  id: string;
  user_id: string;
  label: string | null;
  recipient: string;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string;
  region: string | null;
  country: string;
  phone: string | null;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Why a session (refresh token family) ended. */
export type RevocationReason = 'logout' | 'reuse' | 'account_deleted' | 'password_changed';

/** One login: the family of refresh tokens that rotate from it. */
export interface SessionTable {
  id: string;
  user_id: string;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_used_at: Generated<Date>;
  /** The session cannot be refreshed past this, however often it rotates. */
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: RevocationReason | null;
}

export type RefreshTokenStatus = 'active' | 'used' | 'revoked';

export interface RefreshTokenTable {
  id: string;
  session_id: string;
  /** SHA-256 of the opaque token (hex); the token itself is never stored. */
  token_hash: string;
  status: Generated<RefreshTokenStatus>;
  created_at: Generated<Date>;
  used_at: Date | null;
  expires_at: Date;
}

type Json<T> = ColumnType<T, string, string>;

/** A signing key of access tokens, shared by every process of the store. */
export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: Json<Record<string, unknown>>;
  private_jwk: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  /** Set when a newer key takes over signing; the key still verifies until its tokens expired. */
  retired_at: Date | null;
}

export interface UsersTables {
  users: UserTable;
  addresses: AddressTable;
  sessions: SessionTable;
  refresh_tokens: RefreshTokenTable;
  signing_keys: SigningKeyTable;
}

export type UserRow = Selectable<UserTable>;
export type AddressRow = Selectable<AddressTable>;
export type SessionRow = Selectable<SessionTable>;
export type SigningKeyRow = Selectable<SigningKeyTable>;
