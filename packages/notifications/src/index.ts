import { defineService } from '@shopstack/kernel';
import type {} from '@shopstack/orders';
import { createNotificationsApi, inProcessNotificationsClient, type NotificationsApi } from './api.js';
import type { NotificationsClient } from './client.js';
import { orderMailConsumer } from './consumers/order-mail.js';
import { HttpNotificationsClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { notificationsRoutes } from './routes/index.js';
import type { NotificationsTables } from './tables.js';

export type { NotificationsApi } from './api.js';
export type { NotificationsClient } from './client.js';
export { HttpNotificationsClient } from './http-client.js';
export { createMailAdapter, FileMailAdapter, mailDir, SmtpMailAdapter } from './mail/index.js';
export type { MailAdapter, OutgoingMail } from './mail/index.js';
export type { Message, MessageList, MessageSummary } from './schemas/messages.js';
export { orderMailConsumer } from './consumers/order-mail.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    notifications: NotificationsClient;
  }
}

/** Customer e-mails for order confirmation, shipped and delivered, queued with the event and sent apart. */
export const notificationsService = defineService<NotificationsApi, NotificationsClient, NotificationsTables>(
  {
    name: 'notifications',
    description:
      'Customer e-mails for orders: confirmation, shipped and delivered, queued and sent with retries',
    // Messages are rendered from the order as the orders service shows it.
    dependsOn: ['orders'],
    migrations,
    create: createNotificationsApi,
    routes: notificationsRoutes,
    consumers: [orderMailConsumer],
    start: async (api) => api.sender.start(),
    stop: (api) => api.sender.stop(),
    inProcessClient: inProcessNotificationsClient,
    httpClient: (options) => new HttpNotificationsClient(options),
  },
);
