import { InvalidInput } from './errors.js';

/**
 * Refuses money that is not in the store's currency (a shop sells, and so ships, in one currency),
 * naming `${field}.currency`; null and undefined pass.
 */
export function assertStoreCurrency(
  money: { currency: string } | null | undefined,
  storeCurrency: string,
  field: string,
): void {
  if (money && money.currency !== storeCurrency) {
    throw new InvalidInput(
      `${field} is in ${money.currency}, but this store sells in ${storeCurrency}.`,
      `${field}.currency`,
      { code: 'currency_mismatch', expected: storeCurrency },
    );
  }
}
