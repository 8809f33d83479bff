import { ServiceClient, type HttpClientOptions, type RequestContext } from '@shopstack/kernel';
import type { NotificationsClient } from './client.js';
import type { Message, MessageList, MessageListInput } from './schemas/messages.js';

const PREFIX = '/api/notifications';

/** Notifications over HTTP, for processes that do not host the service; same interface and errors as in process. */
export class HttpNotificationsClient implements NotificationsClient {
  private readonly client: ServiceClient;

  constructor(options: HttpClientOptions) {
    this.client = new ServiceClient({ service: 'notifications', ...options });
  }

  listMessages(ctx: RequestContext, query: MessageListInput = {}): Promise<MessageList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.size ? `?${params.toString()}` : '';
    return this.client.call<MessageList>(ctx, { method: 'GET', path: `${PREFIX}/admin/messages${search}` });
  }

  getMessage(ctx: RequestContext, id: string): Promise<Message> {
    return this.client.call<Message>(ctx, {
      method: 'GET',
      path: `${PREFIX}/admin/messages/${encodeURIComponent(id)}`,
    });
  }

  /** Not retried: a retry that went through answers message_not_failed the second time. */
  retryMessage(ctx: RequestContext, id: string): Promise<Message> {
    return this.client.call<Message>(ctx, {
      method: 'POST',
      path: `${PREFIX}/admin/messages/${encodeURIComponent(id)}/retry`,
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
