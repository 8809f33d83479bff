import type { ServiceRuntime } from '@shopstack/kernel';
import type { NotificationsClient } from './client.js';
import { createMailAdapter } from './mail/index.js';
import { MailSender } from './services/mail-sender.js';
import { MessageAdmin } from './services/message-admin.js';
import { OrderMail } from './services/order-mail.js';
import type { NotificationsTables } from './tables.js';

/** The notifications service's domain API in one process. */
export interface NotificationsApi {
  /** The runtime the service was created with (the sender and tests reach the database through it). */
  runtime: ServiceRuntime<NotificationsTables>;
  messages: MessageAdmin;
  orderMail: OrderMail;
  sender: MailSender;
}

export function createNotificationsApi(runtime: ServiceRuntime<NotificationsTables>): NotificationsApi {
  const orderMail = new OrderMail(runtime);
  return {
    runtime,
    messages: new MessageAdmin(runtime),
    orderMail,
    sender: new MailSender(runtime, orderMail, createMailAdapter(runtime.config)),
  };
}

export function inProcessNotificationsClient(api: NotificationsApi): NotificationsClient {
  return {
    listMessages: (ctx, query) => api.messages.listMessages(ctx, query),
    getMessage: (ctx, id) => api.messages.getMessage(ctx, id),
    retryMessage: (ctx, id) => api.messages.retryMessage(ctx, id),
  };
}
