import type { EventConsumer } from '@shopstack/kernel';
import type { DispatchApi } from '../api.js';
import type { Outcome } from '../services/dispatcher.js';
import type { DispatchTables } from '../tables.js';

/** The carrier's progress moves the order: in transit ships it, delivered delivers it. */
export const trackShipments: EventConsumer<DispatchApi, DispatchTables, Outcome> = {
  name: 'dispatch.track-shipments',
  events: ['ShipmentInTransit', 'ShipmentDelivered'],
  prepare: (api, ctx, event) => api.dispatcher.trackShipment(ctx, event),
  handle: (api, tx, _event, _runtime, outcome) => api.dispatcher.record(tx, outcome),
};
