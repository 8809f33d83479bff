import type { PaymentIntent, PaymentRefund } from '../schemas/intent.js';
import type { IntentRow, RefundRow } from '../tables.js';

export function toRefund(row: RefundRow): PaymentRefund {
  return {
    id: row.id,
    amount: row.amount,
    reason: row.reason,
    reference: row.reference,
    createdAt: row.created_at.toISOString(),
  };
}

/** An intent as callers see it: no provider references, no token, and never more of a card than brand and last4. */
export function toIntent(row: IntentRow, refunds: readonly RefundRow[]): PaymentIntent {
  if (row.status === 'authorizing') throw new Error(`intent ${row.id} is still being authorized`);
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    amountCaptured: row.amount_captured,
    amountRefunded: row.amount_refunded,
    card:
      row.card_brand !== null && row.card_last4 !== null
        ? { brand: row.card_brand, last4: row.card_last4 }
        : null,
    customerId: row.customer_id,
    failureCode: row.failure_code,
    refunds: refunds.filter((refund) => refund.intent_id === row.id).map(toRefund),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
