import { assertStoreCurrency, Conflict, newId } from '@shopstack/kernel';
import type { NewVariant } from '../repositories/catalogue-write.js';
import type { CreateVariantInput } from '../schemas/admin.js';

/*
 * Rules shared by the staff write API and the bulk import, so a product created either way obeys
 * the same checks.
 */

const SLUG_BASE_MAX = 100;

/** A URL slug from a display name: "Café Crème 2" -> "cafe-creme-2"; `fallback` when nothing is left. */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_BASE_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}

/** base itself when free, else the first free base-2, base-3, ... */
export function firstFreeSlug(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Checks every variant's prices against the store currency, naming the offending field. */
export function assertVariantCurrencies(
  variants: ReadonlyArray<Pick<CreateVariantInput, 'price' | 'compareAtPrice'>>,
  storeCurrency: string,
  prefix: string,
): void {
  variants.forEach((variant, i) => {
    assertStoreCurrency(variant.price, storeCurrency, `${prefix}.${i}.price`);
    assertStoreCurrency(variant.compareAtPrice, storeCurrency, `${prefix}.${i}.compareAtPrice`);
  });
}

/** Throws Conflict when the same SKU appears twice among new variants. */
export function assertDistinctSkus(skus: string[]): void {
  const seen = new Set<string>();
  for (const sku of skus) {
    if (seen.has(sku))
      throw new Conflict(`SKU ${sku} appears more than once.`, { code: 'sku_repeated', sku });
    seen.add(sku);
  }
}

/** The row of a new variant; `position` applies when the input names none. */
export function newVariantRow(productId: string, input: CreateVariantInput, position: number): NewVariant {
  return {
    id: newId(),
    product_id: productId,
    sku: input.sku,
    title: input.title ?? '',
    price: input.price.amount,
    compare_at_price: input.compareAtPrice?.amount ?? null,
    currency: input.price.currency,
    weight_grams: input.weightGrams ?? null,
    attributes: input.attributes ?? {},
    position: input.position ?? position,
    on_hand: input.onHand ?? 0,
  };
}

/** The constraint a unique violation broke, or undefined for any other error. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e && e.code === '23505' && typeof e.constraint === 'string' ? e.constraint : undefined;
}

/** Turns a unique violation that slipped past the pre-checks (a concurrent write) into a Conflict. */
export function conflictFromUniqueViolation(err: unknown): unknown {
  const constraint = uniqueViolation(err);
  if (!constraint) return err;
  const detail = String((err as { detail?: unknown }).detail ?? '');
  const value = /\)=\((.*)\)/.exec(detail)?.[1];
  if (constraint.endsWith('sku_key'))
    return new Conflict(`SKU ${value ?? '(unknown)'} is already taken.`, { code: 'sku_taken', sku: value });
  if (constraint.endsWith('slug_key'))
    return new Conflict(`Slug ${value ?? '(unknown)'} is already taken.`, {
      code: 'slug_taken',
      slug: value,
    });
  return new Conflict('This change conflicts with existing data.', { constraint });
}
