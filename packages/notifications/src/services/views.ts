import type { MessageRow } from '../tables.js';
import type { Message, MessageSummary } from '../schemas/messages.js';

/** The Message-ID header of a message: stable, so that a resend after a crash is the same message. */
export function messageIdHeader(id: string, storeId: string): string {
  return `<${id}@${storeId.replace(/[^A-Za-z0-9.-]+/g, '-')}.shopstack>`;
}

export function toSummary(row: MessageRow, storeId: string): MessageSummary {
  return {
    id: row.id,
    orderId: row.order_id,
    orderNumber: row.order_number,
    kind: row.kind,
    to: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    messageId: messageIdHeader(row.id, storeId),
    providerMessageId: row.provider_message_id,
    sentAt: row.sent_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

export function toMessage(row: MessageRow, storeId: string): Message {
  return { ...toSummary(row, storeId), text: row.text, html: row.html };
}
