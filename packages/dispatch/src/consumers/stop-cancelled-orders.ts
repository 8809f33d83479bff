import type { EventConsumer } from '@shopstack/kernel';
import type { DispatchApi } from '../api.js';
import type { Outcome } from '../services/dispatcher.js';
import type { DispatchTables } from '../tables.js';

/** A cancelled order's shipment is stopped if the parcel has not left yet. */
export const stopCancelledOrders: EventConsumer<DispatchApi, DispatchTables, Outcome> = {
  name: 'dispatch.stop-cancelled-orders',
  events: ['OrderCancelled'],
  prepare: (api, ctx, event) => api.dispatcher.stopCancelledOrder(ctx, event),
  handle: (api, tx, _event, _runtime, outcome) => api.dispatcher.record(tx, outcome),
};
