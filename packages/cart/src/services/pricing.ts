/**
 * The arithmetic of cart totals, in integer minor units. The rounding rule, stated once:
 *
 * - Tax is computed per line on the line's total (unit price x quantity, less the line's share of
 *   the discount), never per unit, and rounded half up (amounts are never negative, so half up is
 *   half away from zero) to a whole minor unit. The cart's tax is the sum of its line taxes plus
 *   the tax on shipping, so the lines always add up to the total shown.
 * - Tax-exclusive store: tax = round(net x rate).
 * - Tax-inclusive store: tax = gross - round(gross / (1 + rate)).
 * - A discount is spread over the lines in proportion to their totals by the largest-remainder
 *   method: each line gets the floor of its exact share, and the units left over go one each to the
 *   lines with the largest fractional parts (the earlier line on a tie), so the shares sum exactly
 *   to the discount.
 * - Shipping is taxed at the destination's standard rate, with the same convention as the goods.
 *
 * Rates are basis points (1900 = 19%). Arithmetic runs in BigInt: a line of 2e9 x 1000 units times
 * a rate passes 2^53.
 */

const BASIS = 10_000n;

/** round(numerator / denominator), half up, for non-negative operands. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** The tax contained in (inclusive) or due on (exclusive) an amount at a rate in basis points. */
export function taxOf(amount: number, rateBasisPoints: number, pricesIncludeTax: boolean): number {
  const value = BigInt(amount);
  const rate = BigInt(rateBasisPoints);
  if (!pricesIncludeTax) return Number(divideRoundHalfUp(value * rate, BASIS));
  return Number(value - divideRoundHalfUp(value * BASIS, BASIS + rate));
}

/**
 * Splits an amount over weights in proportion, by the largest-remainder method: the parts are
 * whole units and sum exactly to the amount (zero weights get nothing unless all are zero).
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  if (weights.length === 0) return [];
  if (total === 0n) return weights.map(() => 0);
  const value = BigInt(amount);
  const parts = weights.map((w, index) => {
    const exact = value * BigInt(w);
    return { index, floor: exact / total, remainder: exact % total };
  });
  let left = value - parts.reduce((sum, p) => sum + p.floor, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of order) {
    if (left === 0n) break;
    part.floor += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p.floor));
}

export interface DiscountTerms {
  kind: 'percentage' | 'fixed';
  /** Basis points of the goods subtotal (percentage) or minor units (fixed). */
  value: number;
}

/** What a discount takes off a goods subtotal: a percentage rounded half up, or a fixed amount, never more than the subtotal. */
export function discountAmount(terms: DiscountTerms, subtotal: number): number {
  const amount =
    terms.kind === 'percentage'
      ? Number(divideRoundHalfUp(BigInt(subtotal) * BigInt(terms.value), BASIS))
      : terms.value;
  return Math.min(amount, subtotal);
}

export interface LineToPrice {
  unitPrice: number;
  quantity: number;
  rateBasisPoints: number;
}

export interface PricedLine {
  /** Unit price x quantity, as the store states prices (gross or net). */
  subtotal: number;
  /** This line's share of the cart's discount. */
  discount: number;
  tax: number;
  /** What the shopper pays for the line: subtotal - discount, plus tax in a tax-exclusive store. */
  total: number;
}

export interface PricingInput {
  pricesIncludeTax: boolean;
  lines: readonly LineToPrice[];
  /** The cart's discount in minor units (see discountAmount); at most the goods subtotal. */
  discount: number;
  shipping: { price: number; rateBasisPoints: number } | null;
}

export interface PricedCart {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingTax: number;
  tax: number;
  total: number;
}

/** Prices a cart by the rule above; every figure is an integer and the parts add up to the total. */
export function priceCart(input: PricingInput): PricedCart {
  const subtotals = input.lines.map((line) => line.unitPrice * line.quantity);
  const shares = allocate(input.discount, subtotals);
  const lines = input.lines.map((line, i): PricedLine => {
    const subtotal = subtotals[i]!;
    const discount = shares[i]!;
    const tax = taxOf(subtotal - discount, line.rateBasisPoints, input.pricesIncludeTax);
    return { subtotal, discount, tax, total: subtotal - discount + (input.pricesIncludeTax ? 0 : tax) };
  });
  const shipping = input.shipping?.price ?? 0;
  const shippingTax = input.shipping
    ? taxOf(shipping, input.shipping.rateBasisPoints, input.pricesIncludeTax)
    : 0;
  const sum = (pick: (line: PricedLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const tax = sum((l) => l.tax) + shippingTax;
  return {
    lines,
    subtotal: sum((l) => l.subtotal),
    discount: sum((l) => l.discount),
    shipping,
    shippingTax,
    tax,
    total: sum((l) => l.total) + shipping + (input.pricesIncludeTax ? 0 : shippingTax),
  };
}
