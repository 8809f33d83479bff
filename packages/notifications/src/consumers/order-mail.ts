import type { EventConsumer } from '@shopstack/kernel';
import type { NotificationsApi } from '../api.js';
import { KIND_OF_EVENT } from '../services/order-mail.js';
import type { NotificationsTables } from '../tables.js';
import type { RenderedMail } from '../templates/index.js';

/**
 * Order confirmation, shipped and delivered e-mails. `prepare` reads the order and renders the
 * message outside any transaction; the kernel then runs `handle` in a transaction of this service
 * and records the event as processed in it, so the message is queued exactly once (the unique
 * order and kind is the guard behind that). Sending happens later, in the sender, never in the
 * way of checkout.
 */
export const orderMailConsumer: EventConsumer<
  NotificationsApi,
  NotificationsTables,
  RenderedMail | undefined
> = {
  name: 'notifications.order-mail',
  events: Object.keys(KIND_OF_EVENT),
  prepare: (api, ctx, event) => api.orderMail.render(ctx, event),
  async handle(api, ctx, event, _runtime, mail) {
    await api.orderMail.queueFor(ctx, event, mail);
  },
};
