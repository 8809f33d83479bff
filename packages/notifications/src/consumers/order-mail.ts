import type { EventConsumer } from '@shopstack/kernel';
import type { NotificationsApi } from '../api.js';
import { KIND_OF_EVENT } from '../services/order-mail.js';
import type { NotificationsTables } from '../tables.js';

/**
 * Order confirmation, shipped and delivered e-mails. The kernel runs `handle` in a transaction of
 * this service and records the event as processed in it, so the message is queued exactly once;
 * the unique (order, kind) is the guard behind that. Rendering and sending happen later, in the
 * sender, never in the way of checkout.
 */
export const orderMailConsumer: EventConsumer<NotificationsApi, NotificationsTables> = {
  name: 'notifications.order-mail',
  events: Object.keys(KIND_OF_EVENT),
  async handle(api, ctx, event) {
    await api.orderMail.queueFor(ctx, event);
  },
};
