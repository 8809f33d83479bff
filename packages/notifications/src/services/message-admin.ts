import {
  assertInput,
  authorize,
  InvalidState,
  NotFound,
  STAFF,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { MessageRepository } from '../repositories/messages.js';
import {
  MessageListQuery,
  type Message,
  type MessageList,
  type MessageListInput,
} from '../schemas/messages.js';
import type { NotificationsTables } from '../tables.js';
import { toMessage, toSummary } from './views.js';

const ACTION = 'manage customer e-mail';

function messageNotFound(id: string): NotFound {
  return new NotFound(`No message ${id}.`, { code: 'message_not_found' });
}

/** What staff do with the queue: look at messages, and put a failed one back. */
export class MessageAdmin {
  private readonly messages: MessageRepository;

  constructor(private readonly runtime: ServiceRuntime<NotificationsTables>) {
    this.messages = new MessageRepository(runtime.uow, runtime.schema);
  }

  /** Messages newest first, by status and order if asked, a page at a time. */
  async listMessages(ctx: RequestContext, input: MessageListInput = {}): Promise<MessageList> {
    authorize(ctx, STAFF, ACTION);
    const query = { limit: 20, ...input };
    assertInput(MessageListQuery, query);
    const filter = {
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.orderId !== undefined ? { orderId: query.orderId } : {}),
    };
    const rows = await this.messages.list(ctx, filter, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => toSummary(row, this.runtime.store.id)),
      nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** One message with its bodies. */
  async getMessage(ctx: RequestContext, id: string): Promise<Message> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.messages.find(ctx, id);
    if (!row) throw messageNotFound(id);
    return toMessage(row, this.runtime.store.id);
  }

  /** Puts a failed message back in the queue with a fresh set of attempts. */
  async retryMessage(ctx: RequestContext, id: string): Promise<Message> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.messages.retry(ctx, id);
    if (row) {
      ctx.log.info({ messageId: id }, 'failed message queued again');
      return toMessage(row, this.runtime.store.id);
    }
    const existing = await this.messages.find(ctx, id);
    if (!existing) throw messageNotFound(id);
    throw new InvalidState(`Message ${id} is ${existing.status}; only a failed message is retried.`, {
      code: 'message_not_failed',
      messageStatus: existing.status,
    });
  }
}
