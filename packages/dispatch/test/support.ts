import { sql } from 'kysely';
import {
  consumerHandler,
  eventContext,
  serviceContext,
  type RequestContext,
  type ServiceRuntime,
  type ConfigOverrides,
  type EventConsumer,
  type EventEnvelope,
  type ShopApp,
} from '@shopstack/kernel';
import { staffHeadersFor, type TestBackend } from '@shopstack/kernel/testing';
import type { ShippingApi } from '@shopstack/shipping';
import { shopServices } from '../../orders/test/support.js';
import type { DispatchApi } from '../src/api.js';
import { dispatchService } from '../src/index.js';
import type { Outcome } from '../src/services/dispatcher.js';
import type { DispatchTables } from '../src/tables.js';

export {
  ADDRESS,
  cartWith,
  createProduct,
  customerHeaders,
  ordersStaff,
  placeOrder,
  setUpShipping,
  unique,
} from '../../orders/test/support.js';

/** Helpers of the dispatch tests: a shop with dispatch, and a stand-in for the event bus. */

export const dispatchStaff = await staffHeadersFor('dispatch');

/**
 * A shop that takes orders and fulfils them. Nothing relays the outboxes (tests deliver events with
 * EventPump); the carrier waits `carrierDelayMs` before each step (an hour unless given), so a test
 * moves shipments on itself unless it asks for a carrier that runs by itself.
 */
export function buildDispatchShop(
  backend: TestBackend,
  options: { carrierDelayMs?: number; carrierIntervalMs?: number } = {},
): Promise<ShopApp> {
  const delay = options.carrierDelayMs ?? 3_600_000;
  return backend.buildApp({
    services: [...shopServices(), dispatchService],
    config: {
      orders: { recoveryAgeSeconds: 86_400, recoveryIntervalSeconds: 3600 },
      shipping: {
        carrierDelaysMs: { labelCreated: delay, inTransit: delay, delivered: delay },
        carrierIntervalMs: options.carrierIntervalMs ?? 60_000,
      },
      events: { relay: false },
    } as ConfigOverrides,
  });
}

export function dispatchApi(shop: ShopApp): DispatchApi {
  return shop.apis.get('dispatch') as DispatchApi;
}

export function shippingApi(shop: ShopApp): ShippingApi {
  return shop.apis.get('shipping') as ShippingApi;
}

let carrierYears = 0;
/**
 * Takes every shipment one carrier step on, as if the step's delay had passed: each pass runs a
 * year after the one before (a step schedules the next an hour after the time it ran at).
 */
export async function carrierStep(shop: ShopApp): Promise<number> {
  carrierYears += 1;
  return shippingApi(shop).carrier.run({ now: new Date(Date.now() + carrierYears * 365 * 86_400_000) });
}

/** The context of a call dispatch passes on (as the in-process client bound to dispatch sends it). */
export function asDispatch(shop: ShopApp): RequestContext {
  return { ...serviceContext(shop.config.store, shop.logger, 'test'), caller: 'dispatch' };
}

/** Every event the orders and shipping services wrote, oldest first. */
export async function outboxEvents(shop: ShopApp): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (const service of ['orders', 'shipping']) {
    const { rows } = await sql<{
      id: string;
      type: string;
      version: number;
      store_id: string;
      source: string;
      occurred_at: Date;
      request_id: string;
      aggregate: string | null;
      data: unknown;
    }>`select * from ${sql.table(`${shop.database.schemaFor(service)}.outbox`)} order by id`.execute(
      shop.database.db,
    );
    for (const row of rows) {
      events.push({
        id: row.id,
        type: row.type,
        version: row.version,
        store: row.store_id,
        source: row.source,
        occurredAt: new Date(row.occurred_at).toISOString(),
        requestId: row.request_id,
        ...(row.aggregate ? { aggregate: row.aggregate } : {}),
        data: row.data,
      });
    }
  }
  return events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Delivers the orders and shipping outboxes' events to dispatch's consumers the way the kernel's
 * bus does (consumerHandler: the handler and the processed-event record in one transaction),
 * each event once.
 */
export class EventPump {
  private readonly delivered = new Set<string>();

  constructor(private readonly shop: ShopApp) {}

  /** Delivers what is new (events the handlers write are delivered too) until nothing is; answers the types delivered. */
  async drain(filter: (event: EventEnvelope) => boolean = () => true): Promise<string[]> {
    const types: string[] = [];
    for (;;) {
      const fresh = (await outboxEvents(this.shop)).filter((e) => !this.delivered.has(e.id) && filter(e));
      if (!fresh.length) return types;
      for (const event of fresh) {
        this.delivered.add(event.id);
        if (await this.deliver(event)) types.push(event.type);
      }
    }
  }

  /** Delivers one event to every consumer that takes its type; false when none does. */
  async deliver(event: EventEnvelope): Promise<boolean> {
    const api = dispatchApi(this.shop);
    const consumers = dispatchService.consumers!.filter((c) => c.events.includes(event.type));
    for (const consumer of consumers) {
      await consumerHandler(consumer, api, api.runtime, this.shop.metrics)(event, 1);
    }
    return consumers.length > 0;
  }

  /** Marks events as delivered without delivering them (a bus that has not got to them yet). */
  skip(events: EventEnvelope[]): void {
    for (const event of events) this.delivered.add(event.id);
  }
}

/**
 * Runs a consumer again for an event, past the kernel's processed-event record: its calls, then
 * its handler in a transaction, as a redelivery after a crash before the first run committed.
 */
export async function handleAgain(
  shop: ShopApp,
  consumer: EventConsumer<DispatchApi, DispatchTables, Outcome>,
  event: EventEnvelope,
): Promise<void> {
  const api = dispatchApi(shop);
  const ctx = eventContext(api.runtime as ServiceRuntime<unknown>, event);
  const outcome = await consumer.prepare!(api, ctx, event, api.runtime);
  await api.runtime.uow.transaction(ctx, (tx) => consumer.handle(api, tx, event, api.runtime, outcome));
}

/** Events of one order (its aggregate). */
export const ofOrder = (orderId: string) => (event: EventEnvelope) => event.aggregate === orderId;
