import type { ServiceRuntime } from '@shopstack/kernel';
import type { ShippingClient } from './client.js';
import { MethodAdmin } from './services/method-admin.js';
import { QuoteService } from './services/quotes.js';
import { ZoneAdmin } from './services/zone-admin.js';
import type { ShippingTables } from './tables.js';

/** The shipping service's domain API in one process: staff setup of zones and methods, and quotes. */
export interface ShippingApi {
  zones: ZoneAdmin;
  methods: MethodAdmin;
  quotes: QuoteService;
}

export function createShippingApi(runtime: ServiceRuntime<ShippingTables>): ShippingApi {
  return {
    zones: new ZoneAdmin(runtime),
    methods: new MethodAdmin(runtime),
    quotes: new QuoteService(runtime),
  };
}

export function inProcessShippingClient(api: ShippingApi): ShippingClient {
  return {
    rates: async (ctx, parcel) => (await api.quotes.quote(ctx, parcel)).methods,
  };
}
