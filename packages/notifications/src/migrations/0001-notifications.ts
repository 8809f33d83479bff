import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * The messages queue. An order gets one message of each kind at most: the unique (order_id, kind)
 * is the guard behind the consumer's exactly-once record. Subject and bodies are written by the
 * sender when it renders a message. The partial index serves the sender's search for due messages.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('messages')} (
        id text primary key,
        order_id text not null,
        order_number text not null,
        kind text not null check (kind in ('order-confirmation', 'order-shipped', 'order-delivered')),
        event_id text not null,
        recipient text not null,
        subject text,
        html text,
        text text,
        status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
        attempts integer not null default 0 check (attempts >= 0),
        next_attempt_at timestamptz not null default now(),
        locked_until timestamptz,
        last_error text,
        provider_message_id text,
        sent_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint messages_order_kind_key unique (order_id, kind)
      )`.execute(db);
    await sql`create index messages_due_idx on ${t('messages')} (next_attempt_at) where status = 'pending'`.execute(
      db,
    );
    await sql`create index messages_status_idx on ${t('messages')} (status, id)`.execute(db);
  },
};
