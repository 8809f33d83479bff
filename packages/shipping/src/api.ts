import type { ServiceRuntime } from '@shopstack/kernel';
import type { ShippingClient } from './client.js';
import { CarrierJob } from './services/carrier.js';
import { MethodAdmin } from './services/method-admin.js';
import { QuoteService } from './services/quotes.js';
import { ShipmentService } from './services/shipments.js';
import { ZoneAdmin } from './services/zone-admin.js';
import type { ShippingTables } from './tables.js';

/** The shipping service's domain API in one process: zones and methods, quotes, shipments and the carrier. */
export interface ShippingApi {
  zones: ZoneAdmin;
  methods: MethodAdmin;
  quotes: QuoteService;
  shipments: ShipmentService;
  carrier: CarrierJob;
}

export function createShippingApi(runtime: ServiceRuntime<ShippingTables>): ShippingApi {
  const shipments = new ShipmentService(runtime);
  return {
    zones: new ZoneAdmin(runtime),
    methods: new MethodAdmin(runtime),
    quotes: new QuoteService(runtime),
    shipments,
    carrier: new CarrierJob(runtime, shipments),
  };
}

export function inProcessShippingClient(api: ShippingApi): ShippingClient {
  return {
    rates: async (ctx, parcel) => (await api.quotes.quote(ctx, parcel)).methods,
    createShipment: (ctx, input) => api.shipments.create(ctx, input),
    cancelShipment: (ctx, orderId) => api.shipments.cancel(ctx, orderId),
    shipmentsForOrder: (ctx, orderId) => api.shipments.forOrder(ctx, orderId),
  };
}
