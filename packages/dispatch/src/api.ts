import type { ServiceRuntime } from '@shopstack/kernel';
import type { DispatchClient } from './client.js';
import { Dispatcher } from './services/dispatcher.js';
import { FulfilmentService } from './services/fulfilments.js';
import type { DispatchTables } from './tables.js';

/** The dispatch service's domain API in one process. */
export interface DispatchApi {
  fulfilments: FulfilmentService;
  dispatcher: Dispatcher;
  /** The runtime the service was created with (its unit of work, outbox and clients). */
  runtime: ServiceRuntime<DispatchTables>;
}

export function createDispatchApi(runtime: ServiceRuntime<DispatchTables>): DispatchApi {
  const fulfilments = new FulfilmentService(runtime);
  return { fulfilments, dispatcher: new Dispatcher(runtime, fulfilments.repo), runtime };
}

export function inProcessDispatchClient(api: DispatchApi): DispatchClient {
  return {
    getFulfilment: (ctx, orderId) => api.fulfilments.get(ctx, orderId),
    listFulfilments: (ctx, query = {}) => api.fulfilments.list(ctx, query),
  };
}
