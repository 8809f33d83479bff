import type { RequestContext } from '@shopstack/kernel';
import type { AuthorizeInput, PaymentIntent, RefundInput } from './schemas/intent.js';

/**
 * What other services may ask of payment (checkout authorizes and captures; returns refund). The
 * in-process API and the HTTP client both implement it, with the same errors.
 */
export interface PaymentClient {
  /** Authorizes amount on a token for a reference (a checkout id): a repeat with the same reference returns the same intent and authorizes once (a failed one throws its failure again). Throws PaymentRequired (card_declined | insufficient_funds), NotFound payment_token_not_found, InvalidInput payment_token_expired, Conflict payment_reference_reused (same reference, other amount/currency/token). */
  authorize(ctx: RequestContext, input: AuthorizeInput): Promise<PaymentIntent>;
  /** Captures (all, or `amount` of) an authorized intent; capturing a captured intent returns it. PaymentRequired capture_failed; InvalidState invalid_payment_state when voided/failed. */
  capture(ctx: RequestContext, intentId: string, input?: { amount?: number }): Promise<PaymentIntent>;
  /** Voids an authorized intent; voiding a voided or failed one returns it; InvalidState when captured. */
  voidIntent(ctx: RequestContext, intentId: string): Promise<PaymentIntent>;
  /** Refunds all (default) or part of what was captured; a repeat with the same reference returns the intent without refunding again. Conflict refund_exceeds_captured. */
  refund(ctx: RequestContext, intentId: string, input: RefundInput): Promise<PaymentIntent>;
  getIntent(ctx: RequestContext, intentId: string): Promise<PaymentIntent>;
  findIntentByReference(ctx: RequestContext, reference: string): Promise<PaymentIntent | null>;
}
