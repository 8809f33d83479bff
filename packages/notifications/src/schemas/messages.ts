import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, Nullable, Timestamp } from '@shopstack/kernel';
import { MESSAGE_KINDS, MESSAGE_STATUSES } from '../tables.js';

const Kind = Type.Union(
  MESSAGE_KINDS.map((k) => Type.Literal(k)),
  { description: 'order-confirmation, order-shipped or order-delivered' },
);
const Status = Type.Union(
  MESSAGE_STATUSES.map((s) => Type.Literal(s)),
  { description: 'pending (queued or to be retried), sent, or failed (gave up; staff may retry)' },
);

/** A message as staff see it in a list: no bodies. */
export const MessageSummary = Type.Object(
  {
    id: Id,
    orderId: Type.String(),
    orderNumber: Type.String(),
    kind: Kind,
    to: Type.String(),
    subject: Nullable(
      Type.String({ description: 'null until the message is rendered, before its first attempt' }),
    ),
    status: Status,
    attempts: Type.Integer({ minimum: 0 }),
    nextAttemptAt: Nullable(Timestamp),
    lastError: Nullable(Type.String()),
    messageId: Type.String({ description: 'The Message-ID header the message is sent with' }),
    providerMessageId: Nullable(Type.String({ description: 'What the mail transport called it' })),
    sentAt: Nullable(Timestamp),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export type MessageSummary = Static<typeof MessageSummary>;

/** One message with its plain-text and HTML bodies. */
export const Message = Type.Object(
  { ...MessageSummary.properties, text: Nullable(Type.String()), html: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type Message = Static<typeof Message>;

export const MessageList = Type.Object(
  { items: Type.Array(MessageSummary), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type MessageList = Static<typeof MessageList>;

export const MessageParams = Type.Object({ id: Id }, { additionalProperties: false });

export const MessageListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    orderId: Type.Optional(Id),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ ...Id, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export type MessageListQuery = Static<typeof MessageListQuery>;
export type MessageListInput = Partial<MessageListQuery>;

export { Email };
