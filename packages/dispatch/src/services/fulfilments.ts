import { authorize, NotFound, STAFF, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { FulfilmentRepository } from '../repositories/fulfilments.js';
import type {
  Fulfilment,
  FulfilmentList,
  FulfilmentSummary,
  FulfilmentsQuery,
} from '../schemas/fulfilments.js';
import type { DispatchTables, FulfilmentRow, FulfilmentStatus, FulfilmentStepRow } from '../tables.js';

const iso = (d: Date | string) => new Date(d).toISOString();

function summaryOf(row: FulfilmentRow): FulfilmentSummary {
  return {
    orderId: row.order_id,
    status: row.status,
    shipmentId: row.shipment_id,
    trackingNumber: row.tracking_number,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function fulfilmentOf(row: FulfilmentRow, steps: FulfilmentStepRow[]): Fulfilment {
  return {
    ...summaryOf(row),
    steps: steps.map((s) => ({ step: s.step, detail: s.detail, occurredAt: iso(s.occurred_at) })),
  };
}

/** What staff read of dispatch: each order's fulfilment and every step it took. */
export class FulfilmentService {
  readonly repo: FulfilmentRepository;

  constructor(runtime: ServiceRuntime<DispatchTables>) {
    this.repo = new FulfilmentRepository(runtime.uow, runtime.schema);
  }

  async list(ctx: RequestContext, query: Partial<FulfilmentsQuery>): Promise<FulfilmentList> {
    authorize(ctx, STAFF, 'read fulfilments');
    const filter: { status?: FulfilmentStatus } = {};
    if (query.status !== undefined) filter.status = query.status as FulfilmentStatus;
    return { items: (await this.repo.list(ctx, filter, query.limit ?? 50)).map(summaryOf) };
  }

  async get(ctx: RequestContext, orderId: string): Promise<Fulfilment> {
    authorize(ctx, STAFF, 'read fulfilments');
    const row = await this.repo.find(ctx, orderId);
    if (!row) throw new NotFound(`Order ${orderId} has no fulfilment.`, { code: 'fulfilment_not_found' });
    return fulfilmentOf(row, await this.repo.steps(ctx, orderId));
  }
}
