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
 * Order events become queued e-mails, rendered from the order.
 *
 * The order is read and the message rendered before the event's transaction (the consumer's
 * prepare step): on the embedded database a call to another service made while a transaction is
 * open would wait for it to end. Queueing then writes only this service's own table, in that
 * transaction. A message queued without its rendering (orders did not answer, or the event was
 * handed to `queueFor` alone) is rendered by the sender before its first attempt; either way the
 * rendering is kept, so every attempt sends the same message.
 */
export class OrderMail {
  private readonly messages: MessageRepository;

  constructor(private readonly runtime: ServiceRuntime<NotificationsTables>) {
    this.messages = new MessageRepository(runtime.uow, runtime.schema);
  }

  /**
   * The message an order event calls for, rendered from the order as orders shows it now; undefined
   * when there is nothing to send, the order already has its message, or orders did not answer (the
   * sender then renders it later). Runs outside any transaction.
   */
  async render(ctx: RequestContext, event: EventEnvelope): Promise<RenderedMail | undefined> {
    const target = this.targetOf(ctx, event);
    if (!target) return undefined;
    if (await this.messages.exists(ctx, target.orderId, target.kind)) return undefined;
    try {
      const order = await this.runtime.clients.get('orders').getOrder(ctx, target.orderId);
      return TEMPLATES[target.kind]({ storeName: this.runtime.store.name, order });
    } catch (err) {
      ctx.log.warn(
        { err, orderId: target.orderId, kind: target.kind },
        'order not read; the sender renders the e-mail later',
      );
      return undefined;
    }
  }

  /**
   * Queues the message an order event calls for, in ctx's transaction, with its rendering if given;
   * true when this call queued it (an order has one message of each kind).
   */
  async queueFor(ctx: RequestContext, event: EventEnvelope, mail?: RenderedMail): Promise<boolean> {
    const target = this.targetOf(ctx, event);
    if (!target) return false;
    const { kind, data } = target;
    const log = ctx.log.child({ orderId: data.orderId, kind, eventId: event.id });
    const queued = await this.messages.insert(ctx, {
      id: newId(),
      order_id: data.orderId,
      order_number: data.number,
      kind,
      event_id: event.id,
      recipient: data.email,
      subject: mail?.subject ?? null,
      html: mail?.html ?? null,
      text: mail?.text ?? null,
      status: 'pending',
      locked_until: null,
      last_error: null,
      provider_message_id: null,
      sent_at: null,
    });
    if (queued) log.info('customer e-mail queued');
    return queued;
  }

  /** The order and kind of message an event calls for; null (logged) when it calls for none. */
  private targetOf(
    ctx: RequestContext,
    event: EventEnvelope,
  ): { kind: MessageKind; orderId: string; data: { orderId: string; number: string; email: string } } | null {
    const kind = KIND_OF_EVENT[event.type];
    const data = (event.data ?? {}) as OrderEventData;
    if (!kind || typeof data.orderId !== 'string' || typeof data.number !== 'string') {
      ctx.log.warn({ eventId: event.id, type: event.type }, 'order event without an order; no e-mail');
      return null;
    }
    if (typeof data.email !== 'string' || data.email === '') {
      ctx.log.info(
        { orderId: data.orderId, kind, eventId: event.id },
        'order without an e-mail address; no message',
      );
      return null;
    }
    return {
      kind,
      orderId: data.orderId,
      data: { orderId: data.orderId, number: data.number, email: data.email },
    };
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
