import type { RequestContext } from '@shopstack/kernel';
import type { Fulfilment, FulfilmentList, FulfilmentsQuery } from './schemas/fulfilments.js';

/** What others may ask of dispatch (staff tools). The in-process API and the HTTP client both implement it. */
export interface DispatchClient {
  /** The order's fulfilment with every step; NotFound fulfilment_not_found before dispatch took it on. */
  getFulfilment(ctx: RequestContext, orderId: string): Promise<Fulfilment>;
  /** Fulfilments, most recently changed first, by status. */
  listFulfilments(ctx: RequestContext, query?: Partial<FulfilmentsQuery>): Promise<FulfilmentList>;
}
