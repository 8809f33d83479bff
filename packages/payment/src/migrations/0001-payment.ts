import { sql } from 'kysely';
import type { ServiceMigration } from '@shopstack/kernel';

/**
 * Card tokens, payment intents, their refunds, every call to the provider, and received webhook
 * events. CHECK constraints hold the money rules whatever the code does: nothing is captured beyond
 * what was authorized, nor refunded beyond what was captured. No column can hold a card number: a
 * token keeps the brand, the last four digits and the expiry only.
 */
export const migration: ServiceMigration = {
  async up(db, { schema }) {
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      create table ${t('payment_tokens')} (
        id text primary key,
        provider text not null,
        provider_token text,
        brand text not null check (brand in ('visa', 'mastercard', 'amex', 'unknown')),
        last4 text not null check (last4 ~ '^[0-9]{4}$'),
        exp_month integer not null check (exp_month between 1 and 12),
        exp_year integer not null check (exp_year between 2000 and 2200),
        test_outcome text check (test_outcome in ('succeeds', 'declined', 'insufficient_funds', 'capture_fails')),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz
      )`.execute(db);

    await sql`
      create table ${t('payment_intents')} (
        id text primary key,
        reference text not null unique,
        provider text not null,
        provider_ref text,
        token_id text not null references ${t('payment_tokens')} (id),
        status text not null check (status in (
          'authorizing', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'
        )),
        amount integer not null check (amount > 0),
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        amount_captured integer not null default 0 check (amount_captured >= 0),
        amount_refunded integer not null default 0 check (amount_refunded >= 0),
        customer_id text,
        card_brand text,
        card_last4 text,
        failure_code text,
        failure_message text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint payment_intents_captured_within_amount check (amount_captured <= amount),
        constraint payment_intents_refunded_within_captured check (amount_refunded <= amount_captured)
      )`.execute(db);
    await sql`create index payment_intents_customer_idx on ${t('payment_intents')} (customer_id, id)`.execute(
      db,
    );
    await sql`create unique index payment_intents_provider_ref_idx on ${t('payment_intents')} (provider, provider_ref)`.execute(
      db,
    );

    await sql`
      create table ${t('payment_refunds')} (
        id text primary key,
        intent_id text not null references ${t('payment_intents')} (id),
        reference text,
        amount integer not null check (amount > 0),
        reason text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index payment_refunds_intent_idx on ${t('payment_refunds')} (intent_id, id)`.execute(db);
    await sql`
      create unique index payment_refunds_reference_idx on ${t('payment_refunds')} (intent_id, reference)
      where reference is not null`.execute(db);

    await sql`
      create table ${t('payment_attempts')} (
        id text primary key,
        intent_id text not null references ${t('payment_intents')} (id),
        operation text not null check (operation in ('authorize', 'capture', 'void', 'refund')),
        outcome text not null check (outcome in ('succeeded', 'failed')),
        amount integer not null check (amount >= 0),
        failure_code text,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index payment_attempts_intent_idx on ${t('payment_attempts')} (intent_id, id)`.execute(
      db,
    );

    await sql`
      create table ${t('payment_webhook_events')} (
        provider text not null,
        event_id text not null,
        type text not null,
        received_at timestamptz not null default now(),
        primary key (provider, event_id)
      )`.execute(db);
  },
};
