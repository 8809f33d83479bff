import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Accounts, address books, sessions with their rotating refresh tokens, the signing keys of access
 * tokens, and the login attempt counters of the rate limiter. Constraints hold the rules the code
 * relies on: one account per e-mail, one active signing key, one default address per account.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('users')} (
        id text primary key,
        email text not null unique,
        password_hash text,
        name text not null default '',
        phone text,
        role text not null check (role in ('customer', 'staff', 'admin')),
        status text not null default 'active' check (status in ('active', 'deleted')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz,
        check ((status = 'deleted') = (password_hash is null))
      )`.execute(db);
    await sql`create index users_staff_idx on ${t('users')} (role) where role <> 'customer'`.execute(db);

    await sql`
      create table ${t('addresses')} (
        id text primary key,
        user_id text not null references ${t('users')} (id) on delete cascade,
        label text,
        recipient text not null,
        line1 text not null,
        line2 text,
        city text not null,
        postal_code text not null,
        region text,
        country text not null,
        phone text,
        is_default boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index addresses_user_idx on ${t('addresses')} (user_id, created_at)`.execute(db);
    await sql`create unique index addresses_one_default_idx on ${t('addresses')} (user_id) where is_default`.execute(
      db,
    );

    await sql`
      create table ${t('sessions')} (
        id text primary key,
        user_id text not null references ${t('users')} (id) on delete cascade,
        user_agent text,
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoked_reason text check (revoked_reason in ('logout', 'reuse', 'account_deleted', 'password_changed')),
        check ((revoked_at is null) = (revoked_reason is null))
      )`.execute(db);
    await sql`create index sessions_user_idx on ${t('sessions')} (user_id, created_at)`.execute(db);

    await sql`
      create table ${t('refresh_tokens')} (
        id text primary key,
        session_id text not null references ${t('sessions')} (id) on delete cascade,
        token_hash text not null unique,
        status text not null default 'active' check (status in ('active', 'used', 'revoked')),
        created_at timestamptz not null default now(),
        used_at timestamptz,
        expires_at timestamptz not null
      )`.execute(db);
    await sql`create index refresh_tokens_session_idx on ${t('refresh_tokens')} (session_id) where status = 'active'`.execute(
      db,
    );

    await sql`
      create table ${t('signing_keys')} (
        kid text primary key,
        alg text not null,
        public_jwk jsonb not null,
        private_jwk jsonb not null,
        created_at timestamptz not null default now(),
        retired_at timestamptz
      )`.execute(db);
    // Processes starting together on a new store race to create the first key: only one wins.
    await sql`create unique index signing_keys_one_active_idx on ${t('signing_keys')} ((true)) where retired_at is null`.execute(
      db,
    );

    // The table rate-limiter-flexible's Postgres store expects (key, points, expire in epoch ms).
    await sql`
      create table ${t('login_limits')} (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      )`.execute(db);
  },
};
