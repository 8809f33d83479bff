import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ShopApp } from '../../src/app.js';

/**
 * The row count and a hash of the rows of every table of every service the app runs (the tables of
 * the schemas named with its schema prefix), by "service.table": equal fingerprints mean nothing changed.
 * The kernel's idempotency_keys tables are left out: they record which keyed requests were answered
 * (a refusal by a rule of the shop is kept for replays, as the Idempotency-Key contract says), not
 * anything of the shop. Of an outbox, the events count, not whether the relay has sent them yet.
 */
export async function fingerprintTables(shop: ShopApp): Promise<Record<string, string>> {
  const db = shop.database.db;
  const prefix = shop.config.database.schemaPrefix;
  const { rows: tables } = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE'
      and table_schema not in ('pg_catalog', 'information_schema')
      and starts_with(table_schema, ${prefix})
      and table_name <> 'idempotency_keys'
    order by table_schema, table_name`.execute(db);
  if (!tables.length) throw new Error('no tables to fingerprint: is the app migrated?');
  const result: Record<string, string> = {};
  for (const { schema, name } of tables) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(`${schema}.${name}`)}`.execute(db);
    // The relay's bookkeeping on an outbox row (sent when, claimed until, tries) moves on by itself.
    const kept =
      name === 'outbox'
        ? rows.map(({ published_at: _sent, claimed_until: _claimed, attempts: _tries, ...event }) => event)
        : rows;
    const lines = kept.map((row) => JSON.stringify(row)).sort();
    result[`${schema.slice(prefix.length)}.${name}`] =
      `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return result;
}
