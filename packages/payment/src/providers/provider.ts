import type { TSchema } from '@sinclair/typebox';
import type { CardBrand, TestOutcome } from '../tables.js';

/**
 * A payment provider (a card processor): the one extension point through which money moves. The
 * service calls it inside the transaction that records the outcome, always with an idempotency
 * key derived from the intent, so a provider that honours keys acts once however often it is asked.
 * docs/PAYMENTS.md says what a real adapter must do.
 */
export interface PaymentProvider {
  /** The name intents and tokens record, and the webhook path names: /api/payment/webhooks/<name>. */
  readonly name: string;
  /**
   * Turns card details into what may be kept: brand, last four digits, expiry. Only providers that
   * tokenize on the server have it; the card number and CVC go no further than this call.
   */
  tokenize?(card: CardInput): Promise<TokenizedCard>;
  /** Reserves the amount on the card; a refusal is a decline, not an error. */
  authorize(request: AuthorizeRequest): Promise<ProviderOutcome<{ providerRef: string }>>;
  /** Takes `amount` (at most the authorized amount) of an authorization; the rest is released. */
  capture(request: ChargeRequest): Promise<ProviderOutcome>;
  /** Releases an authorization that will not be captured. */
  void(request: Omit<ChargeRequest, 'amount'>): Promise<ProviderOutcome>;
  /** Gives `amount` of what was captured back to the card. */
  refund(request: ChargeRequest): Promise<ProviderOutcome>;
  /** The JSON schema of this provider's webhook bodies (the route validates them with it). */
  readonly webhookBody: TSchema;
  /**
   * Checks that a webhook comes from the provider (its signature over the raw body, within a time
   * tolerance) and reads it; throws InvalidParameter with code invalid_webhook_signature otherwise.
   */
  verifyWebhook(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): ProviderEvent;
}

/** Card details as entered: seen by tokenize only, never stored, logged or returned. */
export interface CardInput {
  /** Digits only. */
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface TokenizedCard {
  brand: CardBrand;
  last4: string;
  /** The provider's own token, where it keeps the card. */
  providerToken: string | null;
  /** How the test gateway will treat the card. */
  testOutcome: TestOutcome | null;
}

/** What the provider gets of a token to authorize with. */
export interface TokenCard {
  tokenId: string;
  brand: CardBrand;
  last4: string;
  expMonth: number;
  expYear: number;
  providerToken: string | null;
  testOutcome: TestOutcome | null;
}

export interface AuthorizeRequest {
  card: TokenCard;
  amount: number;
  currency: string;
  /** Where the provider may send a receipt; not kept by ShopStack. */
  email?: string;
  idempotencyKey: string;
}

export interface ChargeRequest {
  providerRef: string;
  amount: number;
  idempotencyKey: string;
}

/** Why the provider refused: the code is the problem code the caller sees with a 402. */
export interface Decline {
  ok: false;
  code: 'card_declined' | 'insufficient_funds' | 'capture_failed' | 'void_failed' | 'refund_failed';
  message: string;
}

export type ProviderOutcome<T = object> = ({ ok: true } & T) | Decline;

/**
 * A webhook event as the service applies it: the provider's view of a charge after the event.
 * Amounts only grow and a void is final, so applying snapshots in any order, or twice, ends in the
 * same state.
 */
export interface ProviderEvent {
  id: string;
  type: string;
  /** The charge the event is about, when it is about one. */
  providerRef: string | null;
  amountCaptured?: number;
  amountRefunded?: number;
  voided?: boolean;
}
