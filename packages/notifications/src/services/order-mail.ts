import { newId, type EventEnvelope, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import { MessageRepository } from '../repositories/messages.js';
import type { MessageKind, NotificationsTables } from '../tables.js';
import { TEMPLATES } from '../templates/index.js';

/** The order events that send a customer e-mail, and the kind of message each sends. */
export const KIND_OF_EVENT: Readonly<Record<string, MessageKind>> = {
  OrderPaid: 'order-confirmation',
  OrderShipped: 'order-shipped',
  OrderDelivered: 'order-delivered',
};

/** The part of an order event's data this service reads. */
interface OrderEventData {
  orderId?: unknown;
  email?: unknown;
}

/**
 * Turns order events into queued e-mails: reads the order, renders the message of the event's
 * kind and inserts it in the caller's transaction. An order has one message of each kind at most.
 */
export class OrderMail {
  private readonly messages: MessageRepository;

  constructor(private readonly runtime: ServiceRuntime<NotificationsTables>) {
    this.messages = new MessageRepository(runtime.uow, runtime.schema);
  }

  /** Queues the message an order event calls for; true when one was queued by this call. */
  async queueFor(ctx: RequestContext, event: EventEnvelope): Promise<boolean> {
    const kind = KIND_OF_EVENT[event.type];
    const data = (event.data ?? {}) as OrderEventData;
    if (!kind || typeof data.orderId !== 'string') {
      ctx.log.warn({ eventId: event.id, type: event.type }, 'order event without an order; no e-mail');
      return false;
    }
    const log = ctx.log.child({ orderId: data.orderId, kind, eventId: event.id });
    if (typeof data.email !== 'string' || data.email === '') {
      log.info('order without an e-mail address; no message');
      return false;
    }
    // A redelivery of an event whose message is queued need not ask orders again.
    if (await this.messages.exists(ctx, data.orderId, kind)) return false;
    const order = await this.runtime.clients.get('orders').getOrder(ctx, data.orderId);
    if (!order.email) {
      log.info('order without an e-mail address; no message');
      return false;
    }
    const mail = TEMPLATES[kind]({ storeName: this.runtime.store.name, order });
    const queued = await this.messages.insert(ctx, {
      id: newId(),
      order_id: order.id,
      order_number: order.number,
      kind,
      event_id: event.id,
      recipient: order.email,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      status: 'pending',
      locked_until: null,
      last_error: null,
      provider_message_id: null,
      sent_at: null,
    });
    if (queued) log.info('customer e-mail queued');
    return queued;
  }
}
