import type { Generated, Selectable } from 'kysely';

/** The kinds of customer e-mail the service sends, one per order event it hears. */
export const MESSAGE_KINDS = ['order-confirmation', 'order-shipped', 'order-delivered'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** pending: waiting to be sent (or retried); sent; failed: gave up after mail.maxAttempts. */
export const MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * One e-mail, queued when its event was handled and kept after it was sent: the queue the sender
 * works through. An order has one message of each kind at most (unique order_id, kind). Subject and
 * bodies are null until the sender rendered them from the order; once rendered they never change,
 * so every attempt sends the same message.
 */
export interface MessageTable {
  id: string;
  order_id: string;
  order_number: string;
  kind: MessageKind;
  /** The event the message answers. */
  event_id: string;
  recipient: string;
  subject: string | null;
  html: string | null;
  text: string | null;
  status: MessageStatus;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  /** Until when a sender holds the message it claimed; another sender takes it only afterwards. */
  locked_until: Date | null;
  last_error: string | null;
  /** The id the mail transport gave the message once sent. */
  provider_message_id: string | null;
  sent_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface NotificationsTables {
  messages: MessageTable;
}

export type MessageRow = Selectable<MessageTable>;
