import { Conflict, InvalidInput } from '@shopstack/kernel';
import { ISO_COUNTRIES } from '../countries.js';
import type { DeliveryEstimate } from '../schemas/common.js';

/** Rules shared by the staff writes and the quotes, so a zone or a price is checked one way. */

/** A country must be an assigned ISO 3166-1 code: "UK" or "XX" would name a zone no address is in. */
export function assertKnownCountry(country: string, field: string): void {
  if (!ISO_COUNTRIES.has(country)) {
    throw new InvalidInput(`${country} is not an ISO 3166-1 alpha-2 country code.`, field, {
      code: 'unknown_country',
      country,
    });
  }
}

export function assertEstimate(estimate: DeliveryEstimate | null | undefined, field: string): void {
  if (estimate && estimate.minDays > estimate.maxDays) {
    throw new InvalidInput(
      `${field}: minDays (${estimate.minDays}) is more than maxDays (${estimate.maxDays}).`,
      `${field}.maxDays`,
      { code: 'invalid_delivery_estimate' },
    );
  }
}

/** The refusal of tiers that would price the same weight twice. */
export function tiersOverlap(maxWeightGrams: number | null): Conflict {
  const which = maxWeightGrams === null ? 'an unbounded tier' : `a tier up to ${maxWeightGrams} g`;
  return new Conflict(`The method already has ${which}: tiers of a method must not overlap.`, {
    code: 'rate_tiers_overlap',
    maxWeightGrams,
  });
}

/** Throws the overlap refusal when two of the given tiers share an upper bound (or are both unbounded). */
export function assertDistinctTiers(tiers: ReadonlyArray<{ maxWeightGrams: number | null }>): void {
  const seen = new Set<number | null>();
  for (const { maxWeightGrams } of tiers) {
    if (seen.has(maxWeightGrams)) throw tiersOverlap(maxWeightGrams);
    seen.add(maxWeightGrams);
  }
}

/** The constraint a unique violation broke, or undefined for any other error. */
function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e && e.code === '23505' && typeof e.constraint === 'string' ? e.constraint : undefined;
}

/**
 * Turns a unique violation that slipped past the pre-checks (a concurrent write) into the Conflict
 * the pre-check would have raised; any other error passes unchanged.
 */
export function conflictFromViolation(
  err: unknown,
  context: { maxWeightGrams?: number | null } = {},
): unknown {
  const constraint = uniqueViolation(err);
  if (!constraint) return err;
  const detail = String((err as { detail?: unknown }).detail ?? '');
  const value = /\)=\((.*)\)/.exec(detail)?.[1];
  if (constraint === 'zone_countries_pkey') {
    return new Conflict(`${value ?? 'A country'} already belongs to another zone.`, {
      code: 'country_in_another_zone',
      countries: value ? [value] : [],
    });
  }
  if (constraint === 'methods_code_key') {
    return new Conflict('The zone already has a method with this code.', { code: 'method_code_taken' });
  }
  if (constraint === 'rates_tier_key' || constraint === 'rates_unbounded_tier_key') {
    return tiersOverlap(context.maxWeightGrams ?? null);
  }
  return new Conflict('This change conflicts with existing data.', { constraint });
}
