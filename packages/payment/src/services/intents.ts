import {
  assertInput,
  authorize,
  CUSTOMERS,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { IntentRepository } from '../repositories/intents.js';
import { IntentListQuery, type IntentPage, type PaymentIntent } from '../schemas/intent.js';
import type { PaymentTables } from '../tables.js';
import { CHARGES, intentNotFound, maySee, seesAllIntents } from './access.js';
import { toIntent } from './intent-view.js';

/** Reading payment intents: staff and the orders service see all of them, a customer their own. */
export class IntentService {
  readonly repo: IntentRepository;

  constructor(runtime: ServiceRuntime<PaymentTables>) {
    this.repo = new IntentRepository(runtime.uow, runtime.schema);
  }

  /** An intent; anyone who may not see it is told it does not exist (404, not 403). */
  async get(ctx: RequestContext, id: string): Promise<PaymentIntent> {
    const row = await this.repo.findById(id);
    if (!row || row.status === 'authorizing' || !maySee(ctx, row)) throw intentNotFound(id);
    return toIntent(row, await this.repo.refundsOf([row.id]));
  }

  /** The intent of a reference, or null. For staff and the orders service. */
  async findByReference(ctx: RequestContext, reference: string): Promise<PaymentIntent | null> {
    authorize(ctx, CHARGES, 'look payments up by reference');
    const row = await this.repo.findByReference(reference);
    if (!row || row.status === 'authorizing') return null;
    return toIntent(row, await this.repo.refundsOf([row.id]));
  }

  /** Intents newest first, a page at a time: a customer's own, or (staff, orders) all of them. */
  async list(ctx: RequestContext, query: IntentListQuery): Promise<IntentPage> {
    assertInput(IntentListQuery, query);
    const all = seesAllIntents(ctx);
    if (!all) authorize(ctx, CUSTOMERS, 'see payments');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.repo.page({
      ...(all ? {} : { customerId: ctx.actor.kind === 'customer' ? ctx.actor.id : '' }),
      ...(query.reference === undefined ? {} : { reference: query.reference }),
      ...(query.status === undefined ? {} : { status: query.status }),
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    const refunds = await this.repo.refundsOf(rows.map((row) => row.id));
    return { items: rows.map((row) => toIntent(row, refunds)), total, page, pageSize };
  }
}
