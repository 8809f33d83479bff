import type { Generated, Selectable } from 'kysely';

/** What the test gateway does with a card (set at tokenization from the test card number). */
export type TestOutcome = 'succeeds' | 'declined' | 'insufficient_funds' | 'capture_fails';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'unknown';

/** Row types of the payment schema (see migrations/). No column ever holds a full card number or a CVC. */
export interface PaymentTokenTable {
  /** tok_ and 24 random characters: what the client sends instead of the card. */
  id: string;
  provider: string;
  /** The provider's own token, for providers that tokenize on their side; null for the test gateway. */
  provider_token: string | null;
  brand: CardBrand;
  last4: string;
  exp_month: number;
  exp_year: number;
  /** The test gateway's behaviour for this card; null for real providers. */
  test_outcome: TestOutcome | null;
  created_at: Generated<Date>;
  expires_at: Date;
  /** Set by the one successful authorization that consumed the token. */
  used_at: Date | null;
}

/** `authorizing` exists only inside the transaction that authorizes; no committed row holds it. */
export type IntentStatus =
  'authorizing' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'voided' | 'failed';

export interface PaymentIntentTable {
  id: string;
  /** The caller's reference (a checkout id): the idempotency key of authorizing. */
  reference: string;
  provider: string;
  provider_ref: string | null;
  token_id: string;
  status: IntentStatus;
  amount: number;
  currency: string;
  amount_captured: Generated<number>;
  amount_refunded: Generated<number>;
  customer_id: string | null;
  card_brand: CardBrand | null;
  card_last4: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentRefundTable {
  id: string;
  intent_id: string;
  /** The caller's reference of a refund: a repeat with it refunds nothing more. */
  reference: string | null;
  amount: number;
  reason: string | null;
  created_at: Generated<Date>;
}

export type PaymentOperation = 'authorize' | 'capture' | 'void' | 'refund';

/** One call to the provider and how it went: every provider operation writes exactly one. */
export interface PaymentAttemptTable {
  id: string;
  intent_id: string;
  operation: PaymentOperation;
  outcome: 'succeeded' | 'failed';
  amount: number;
  failure_code: string | null;
  created_at: Generated<Date>;
}

/** Webhook events already received, by provider and event id: a redelivery is recognised and ignored. */
export interface PaymentWebhookEventTable {
  provider: string;
  event_id: string;
  type: string;
  received_at: Generated<Date>;
}

export interface PaymentTables {
  payment_tokens: PaymentTokenTable;
  payment_intents: PaymentIntentTable;
  payment_refunds: PaymentRefundTable;
  payment_attempts: PaymentAttemptTable;
  payment_webhook_events: PaymentWebhookEventTable;
}

export type TokenRow = Selectable<PaymentTokenTable>;
export type IntentRow = Selectable<PaymentIntentTable>;
export type RefundRow = Selectable<PaymentRefundTable>;
export type AttemptRow = Selectable<PaymentAttemptTable>;
