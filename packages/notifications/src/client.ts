import type { RequestContext } from '@shopstack/kernel';
import type { Message, MessageList, MessageListInput } from './schemas/messages.js';

/**
 * What staff tools and other services may ask of notifications. The in-process API and the HTTP
 * client both implement it, so a caller never knows which topology it runs in.
 */
export interface NotificationsClient {
  /** Customer e-mails newest first, by status and order if asked; staff only. */
  listMessages(ctx: RequestContext, query?: MessageListInput): Promise<MessageList>;
  /** One message with its text and HTML; NotFound message_not_found. */
  getMessage(ctx: RequestContext, id: string): Promise<Message>;
  /** Puts a failed message back in the queue; InvalidState message_not_failed unless it failed. */
  retryMessage(ctx: RequestContext, id: string): Promise<Message>;
}
