import { Conflict, InvalidInput, NotFound, type DomainError } from '@shopstack/kernel';
import type { Discount, Redemption } from '../schemas/admin.js';
import type { DiscountRow, RedemptionRow } from '../tables.js';

/** Why a code does not apply to a cart now, or null when it does. */
export interface DiscountProblem {
  code:
    | 'discount_not_found'
    | 'discount_not_started'
    | 'discount_expired'
    | 'discount_exhausted'
    | 'discount_minimum_not_met'
    | 'discount_customer_limit';
  message: string;
}

/**
 * Checks a code against a goods subtotal at a moment. An inactive code is reported as unknown, so
 * a shopper cannot tell a switched-off code from one that never existed.
 */
export function discountProblem(
  row: DiscountRow,
  subtotal: number | null,
  now: Date,
): DiscountProblem | null {
  if (!row.active) return { code: 'discount_not_found', message: `There is no discount code ${row.code}.` };
  if (row.starts_at !== null && row.starts_at > now) {
    return { code: 'discount_not_started', message: `Discount code ${row.code} is not valid yet.` };
  }
  if (row.ends_at !== null && row.ends_at <= now) {
    return { code: 'discount_expired', message: `Discount code ${row.code} has expired.` };
  }
  if (row.usage_limit !== null && row.used >= row.usage_limit) {
    return { code: 'discount_exhausted', message: `Discount code ${row.code} has been used up.` };
  }
  if (subtotal !== null && subtotal < row.minimum_subtotal) {
    return {
      code: 'discount_minimum_not_met',
      message: `Discount code ${row.code} needs a subtotal of at least ${row.minimum_subtotal}.`,
    };
  }
  return null;
}

/** The domain error of a problem: unknown 404, a rule of the code 422, no uses left 409. */
export function discountError(
  problem: DiscountProblem,
  code: string,
  extra: Record<string, unknown> = {},
): DomainError {
  const details = { code: problem.code, discountCode: code, ...extra };
  switch (problem.code) {
    case 'discount_not_found':
      return new NotFound(problem.message, details);
    case 'discount_exhausted':
    case 'discount_customer_limit':
      return new Conflict(problem.message, details);
    default:
      return new InvalidInput(problem.message, 'code', details);
  }
}

export function discountNotFound(code: string): DomainError {
  return discountError({ code: 'discount_not_found', message: `There is no discount code ${code}.` }, code);
}

export function toDiscount(row: DiscountRow): Discount {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    value: row.value,
    minimumSubtotal: row.minimum_subtotal,
    startsAt: row.starts_at?.toISOString() ?? null,
    endsAt: row.ends_at?.toISOString() ?? null,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    used: row.used,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toRedemption(row: RedemptionRow & { code: string }): Redemption {
  return {
    orderRef: row.order_ref,
    code: row.code,
    discountId: row.discount_id,
    customerId: row.customer_id,
    status: row.status,
    redeemedAt: row.redeemed_at.toISOString(),
    releasedAt: row.released_at?.toISOString() ?? null,
  };
}
