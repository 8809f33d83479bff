import {
  newId,
  serviceContext,
  type EventEnvelope,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { MessageRepository } from '../repositories/messages.js';
import type { MessageKind, MessageRow, NotificationsTables } from '../tables.js';
import { TEMPLATES, type RenderedMail } from '../templates/index.js';

/** The order events that send a customer e-mail, and the kind of message each sends. */
export const KIND_OF_EVENT: Readonly<Record<string, MessageKind>> = {
  OrderPaid: 'order-confirmation',
  OrderShipped: 'order-shipped',
  OrderDelivered: 'order-delivered',
};

/** The part of an order event's data this service reads. */
interface OrderEventData {
  orderId?: unknown;
  number?: unknown;
  email?: unknown;
}

/**
 * Order events become queued e-mails, and queued e-mails become rendered ones.
 *
 * Queueing writes only this service's own table, in the transaction the event is handled in: the
 * order is not read there, because a call to another service waits on the embedded database while
 * a transaction is open (it runs one transaction at a time). The sender renders a message from the
 * order, outside any transaction, before its first attempt, and keeps the rendering.
 */
export class OrderMail {
  private readonly messages: MessageRepository;

  constructor(private readonly runtime: ServiceRuntime<NotificationsTables>) {
    this.messages = new MessageRepository(runtime.uow, runtime.schema);
  }

  /** Queues the message an order event calls for, in ctx's transaction; true when this call queued it. */
  async queueFor(ctx: RequestContext, event: EventEnvelope): Promise<boolean> {
    const kind = KIND_OF_EVENT[event.type];
    const data = (event.data ?? {}) as OrderEventData;
    if (!kind || typeof data.orderId !== 'string' || typeof data.number !== 'string') {
      ctx.log.warn({ eventId: event.id, type: event.type }, 'order event without an order; no e-mail');
      return false;
    }
    const log = ctx.log.child({ orderId: data.orderId, kind, eventId: event.id });
    if (typeof data.email !== 'string' || data.email === '') {
      log.info('order without an e-mail address; no message');
      return false;
    }
    const queued = await this.messages.insert(ctx, {
      id: newId(),
      order_id: data.orderId,
      order_number: data.number,
      kind,
      event_id: event.id,
      recipient: data.email,
      subject: null,
      html: null,
      text: null,
      status: 'pending',
      locked_until: null,
      last_error: null,
      provider_message_id: null,
      sent_at: null,
    });
    if (queued) log.info('customer e-mail queued');
    return queued;
  }

  /** A message's subject and bodies: as kept if it was rendered before, else rendered from the order now. */
  async rendered(message: MessageRow): Promise<RenderedMail> {
    if (message.subject !== null && message.html !== null && message.text !== null) {
      return { subject: message.subject, html: message.html, text: message.text };
    }
    const ctx = serviceContext(this.runtime.store, this.runtime.logger, this.runtime.name);
    const order = await this.runtime.clients.get('orders').getOrder(ctx, message.order_id);
    const mail = TEMPLATES[message.kind]({ storeName: this.runtime.store.name, order });
    // Two senders may render the same message (a lease that ran out): the first rendering stays.
    const kept = await this.messages.saveRendering(message.id, mail);
    if (kept?.subject && kept.html !== null && kept.text !== null) {
      return { subject: kept.subject, html: kept.html, text: kept.text };
    }
    return mail;
  }
}
