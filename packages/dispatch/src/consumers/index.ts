import type { EventConsumer } from '@shopstack/kernel';
import type { DispatchApi } from '../api.js';
import type { Outcome } from '../services/dispatcher.js';
import type { DispatchTables } from '../tables.js';
import { fulfilPaidOrders } from './fulfil-paid-orders.js';
import { stopCancelledOrders } from './stop-cancelled-orders.js';
import { trackShipments } from './track-shipments.js';

/** Every event consumer of dispatch. */
export const dispatchConsumers: readonly EventConsumer<DispatchApi, DispatchTables, Outcome>[] = [
  fulfilPaidOrders,
  trackShipments,
  stopCancelledOrders,
];
