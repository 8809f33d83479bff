import { defineService } from '@shopstack/kernel';
import { createShippingApi, inProcessShippingClient, type ShippingApi } from './api.js';
import type { ShippingClient } from './client.js';
import { HttpShippingClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { shippingRoutes } from './routes/index.js';
import { seedDemoShipping } from './seed/demo.js';
import type { ShippingTables } from './tables.js';

export type { ShippingApi } from './api.js';
export type { ShippingClient, ShippingRate } from './client.js';
export { HttpShippingClient } from './http-client.js';
export type { ParcelInput as ShippingParcel, ShippingQuote } from './schemas/quote.js';
export type {
  CreateShipmentInput,
  Shipment,
  ShipmentAddress,
  ShipmentItem,
  TrackingEvent,
} from './schemas/shipments.js';
export { Shipment as ShipmentSchema } from './schemas/shipments.js';
export { demoShippingSetup, DEMO_HOME_COUNTRY } from './seed/demo.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    shipping: ShippingClient;
  }
}

/**
 * Shipping zones, methods, weight-tiered rates with free-shipping thresholds, and quotes; shipments
 * of orders and the simulated carrier that moves them on.
 */
export const shippingService = defineService<ShippingApi, ShippingClient, ShippingTables>({
  name: 'shipping',
  description: 'Shipping zones, methods and weight-tiered rates; quotes; shipments and their tracking',
  // A cart's quote asks the cart for its parcel.
  dependsOn: ['cart'],
  migrations,
  create: createShippingApi,
  routes: shippingRoutes,
  start: async (api) => api.carrier.start(),
  stop: (api) => api.carrier.stop(),
  seed: seedDemoShipping,
  inProcessClient: inProcessShippingClient,
  httpClient: (options) => new HttpShippingClient(options),
});
