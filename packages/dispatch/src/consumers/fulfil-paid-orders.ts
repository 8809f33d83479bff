import type { EventConsumer } from '@shopstack/kernel';
import type { DispatchApi } from '../api.js';
import type { Outcome } from '../services/dispatcher.js';
import type { DispatchTables } from '../tables.js';

/** A paid order is fulfilled: its shipment created and the order marked fulfilling, each step recorded. */
export const fulfilPaidOrders: EventConsumer<DispatchApi, DispatchTables, Outcome> = {
  name: 'dispatch.fulfil-paid-orders',
  events: ['OrderPaid'],
  prepare: (api, ctx, event) => api.dispatcher.fulfilPaidOrder(ctx, event),
  handle: (api, tx, _event, _runtime, outcome) => api.dispatcher.record(tx, outcome),
};
