import { sql } from 'kysely';
import type { Generated } from 'kysely';
import type { ShopApp } from '../../src/app.js';
import { serviceContext, type RequestContext } from '../../src/context.js';
import { defineService, type ServiceRuntime } from '../../src/service.js';

/**
 * Two small services for the event tests: `tally` records counts and announces each one (Counted,
 * with the counter as aggregate), `audit` consumes them and writes what it saw. An event whose
 * data says `poison` fails in the consumer until the test heals it.
 */
interface TallyTables {
  counts: { id: string; counter: string; seq: number; poison: boolean };
}

function createTally(runtime: ServiceRuntime<TallyTables>) {
  return {
    runtime,
    /** Records a count and announces it, in one transaction. */
    async count(ctx: RequestContext, counter: string, seq: number, poison = false) {
      return runtime.uow.transaction(ctx, async (tx) => {
        const id = `${counter}-${seq}`;
        await runtime.uow
          .db(tx)
          .withSchema(runtime.schema)
          .insertInto('counts')
          .values({ id, counter, seq, poison })
          .execute();
        return runtime.outbox.emit(tx, {
          type: 'Counted',
          aggregate: counter,
          data: { id, counter, seq, poison },
        });
      });
    },
  };
}
export type TallyApi = ReturnType<typeof createTally>;

export const tallyService = defineService<TallyApi, object, TallyTables>({
  name: 'tally',
  description: 'Counts, announced as events',
  migrations: {
    '0001-counts': {
      async up(db, { schema }) {
        await sql`create table ${sql.table(`${schema}.counts`)} (
          id text primary key, counter text not null, seq integer not null, poison boolean not null)`.execute(
          db,
        );
      },
    },
  },
  create: createTally,
  routes: async () => {},
  inProcessClient: () => ({}),
  httpClient: () => ({}),
});

interface AuditTables {
  seen: { event_id: string; counter: string; seq: number; n: Generated<number>; handled_at: Generated<Date> };
}

function createAudit(runtime: ServiceRuntime<AuditTables>) {
  return {
    runtime,
    healed: false,
    /** Handler runs, including those rolled back (a redelivery that found its record does not run it). */
    runs: 0,
    async seen(): Promise<Array<{ event_id: string; counter: string; seq: number; n: number }>> {
      return runtime.db
        .withSchema(runtime.schema)
        .selectFrom('seen')
        .select(['event_id', 'counter', 'seq', 'n'])
        .orderBy('n')
        .execute();
    },
  };
}
export type AuditApi = ReturnType<typeof createAudit>;

export const auditService = defineService<AuditApi, object, AuditTables>({
  name: 'audit',
  description: 'Writes down every Counted event it is given',
  migrations: {
    '0001-seen': {
      async up(db, { schema }) {
        await sql`create table ${sql.table(`${schema}.seen`)} (
          n serial primary key, event_id text not null, counter text not null, seq integer not null,
          handled_at timestamptz not null default clock_timestamp())`.execute(db);
      },
    },
  },
  create: createAudit,
  routes: async () => {},
  consumers: [
    {
      name: 'audit.counts',
      events: ['Counted'],
      async handle(api, ctx, event, runtime) {
        api.runs += 1;
        const data = event.data as { counter: string; seq: number; poison: boolean };
        await runtime.uow
          .db(ctx)
          .withSchema(runtime.schema)
          .insertInto('seen')
          .values({ event_id: event.id, counter: data.counter, seq: data.seq })
          .execute();
        // The write above rolls back with the failure: nothing of a failed attempt stays.
        if (data.poison && !api.healed) throw new Error(`cannot take count ${data.counter}-${data.seq} yet`);
      },
    },
  ],
  inProcessClient: () => ({}),
  httpClient: () => ({}),
});

export const tallyOf = (shop: ShopApp) => shop.apis.get('tally') as TallyApi;
export const auditOf = (shop: ShopApp) => shop.apis.get('audit') as AuditApi;
export const tallyContext = (shop: ShopApp) => serviceContext(shop.config.store, shop.logger, 'test');

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function eventually(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
