import type { Kysely, OperationNodeSource, QueryCreator, Transaction } from 'kysely';
import type { RequestContext } from './context.js';

/**
 * One service's transactions, bound to the request context. `transaction(ctx, work)` opens one and
 * hands `work` a context that carries it; every repository asks `db(ctx)` for its handle, so all
 * queries of that context run in the transaction, and a nested `transaction` joins the open one
 * instead of opening another. Each service has its own unit: a call to another service never runs
 * in the caller's transaction, just as it would not over HTTP.
 */
export class UnitOfWork<TTables> {
  constructor(private readonly pool: Kysely<TTables>) {}

  /** The handle to query with: the context's open transaction of this unit, or the pool. */
  db(ctx?: Pick<RequestContext, 'transactions'>): Kysely<TTables> {
    return (ctx?.transactions?.get(this) as Transaction<TTables> | undefined) ?? this.pool;
  }

  /** Whether the context runs inside a transaction of this unit. */
  active(ctx: Pick<RequestContext, 'transactions'>): boolean {
    return ctx.transactions?.has(this) ?? false;
  }

  /**
   * Runs work in one transaction (or in the context's open one): committed when work resolves,
   * rolled back when it throws.
   */
  async transaction<T>(
    ctx: RequestContext,
    work: (ctx: RequestContext, trx: Transaction<TTables>) => Promise<T>,
  ): Promise<T> {
    const open = ctx.transactions?.get(this) as Transaction<TTables> | undefined;
    if (open) return work(ctx, open);
    return this.pool.transaction().execute((trx) => {
      const transactions = new Map(ctx.transactions ?? []);
      transactions.set(this, trx);
      return work({ ...ctx, transactions }, trx);
    });
  }
}

/**
 * `creator` with each of `writes` (an insert or update built but not run, such as Outbox.prepare's
 * insert) as a WITH query of the statement it then starts: the writes and that statement commit
 * together or not at all, in one round trip instead of a transaction of several. The writes all see
 * the database as it was when the statement began, not each other's changes.
 */
export function withWrites<DB>(
  creator: QueryCreator<DB>,
  writes: readonly OperationNodeSource[],
): QueryCreator<DB> {
  let next = creator;
  writes.forEach((write, i) => {
    next = next.with(`write_${i}`, write as never) as unknown as QueryCreator<DB>;
  });
  return next;
}
