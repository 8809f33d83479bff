import type { BodyOf, ResponseOf } from '@shopstack/api-client';
import { toMajor, toMinor } from './money.js';

export type StaffProduct = ResponseOf<'adminGetProduct'>;
export type StaffVariant = StaffProduct['variants'][number];
export type ProductImage = StaffProduct['images'][number];
export type ProductInput = BodyOf<'adminCreateProduct'>;
export type VariantInput = NonNullable<ProductInput['variants']>[number];
export type VariantPatch = BodyOf<'adminUpdateVariant'>;
export type ProductStatus = StaffProduct['status'];

/** A variant row of the form; every number is the text typed (prices in major units). */
export interface VariantValues {
  /** The variant's id once it exists (not `id`: the field array keeps its own keys there). */
  variantId: string | null;
  sku: string;
  price: string;
  compareAt: string;
  stock: string;
  weight: string;
  /** Values of the product's options, by attribute key (see attributeKey). */
  attributes: Record<string, string>;
}

export interface OptionValues {
  name: string;
  /** The option's values, separated by commas. */
  values: string;
}

export interface ProductValues {
  name: string;
  slug: string;
  description: string;
  categoryId: string;
  status: ProductStatus;
  options: OptionValues[];
  images: ProductImage[];
  variants: VariantValues[];
}

/** The attribute a variant holds an option's value under: "Size" -> "size", "Shoe width" -> "shoe_width" (as the CSV import names it). */
export function attributeKey(optionName: string): string {
  return optionName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_');
}

/** "size" -> "Size": how an option labels its input in each variant row. */
export function optionLabel(optionName: string): string {
  const name = optionName.trim();
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function splitValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

export const blankVariant = (): VariantValues => ({
  variantId: null,
  sku: '',
  price: '',
  compareAt: '',
  stock: '',
  weight: '',
  attributes: {},
});

export const newProductValues = (): ProductValues => ({
  name: '',
  slug: '',
  description: '',
  categoryId: '',
  status: 'draft',
  options: [],
  images: [],
  variants: [blankVariant()],
});

export function productValues(product: StaffProduct): ProductValues {
  return {
    name: product.name,
    slug: product.slug,
    description: product.description,
    categoryId: product.categoryId ?? '',
    status: product.status,
    options: product.options.map((o) => ({ name: o.name, values: o.values.join(', ') })),
    images: product.images.map((image) => ({ ...image })),
    variants: product.variants.map((v) => ({
      variantId: v.id,
      sku: v.sku,
      price: toMajor(v.price.amount, v.price.currency),
      compareAt: v.compareAtPrice ? toMajor(v.compareAtPrice.amount, v.compareAtPrice.currency) : '',
      stock: String(v.stock.onHand),
      weight: v.weightGrams === null ? '' : String(v.weightGrams),
      attributes: { ...v.attributes },
    })),
  };
}

/** A new row nobody typed anything in: left out when saving. */
export function isBlankRow(row: VariantValues): boolean {
  return (
    row.variantId === null &&
    !row.sku.trim() &&
    !row.price.trim() &&
    !row.compareAt.trim() &&
    !row.stock.trim() &&
    !row.weight.trim() &&
    Object.values(row.attributes ?? {}).every((v) => !v?.trim())
  );
}

export function parseStock(text: string): number | null {
  const value = text.trim();
  if (!value) return 0;
  return /^\d{1,10}$/.test(value) && Number(value) <= 1_000_000_000 ? Number(value) : null;
}

function parseWeight(text: string): number | null {
  const value = text.trim();
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export function optionsInput(options: OptionValues[]): NonNullable<ProductInput['options']> {
  return options
    .filter((o) => o.name.trim())
    .map((o) => ({ name: o.name.trim(), values: splitValues(o.values) }));
}

/** The product's own fields as the API takes them (variants aside). */
export function productFields(values: ProductValues) {
  return {
    name: values.name.trim(),
    description: values.description,
    categoryId: values.categoryId || null,
    options: optionsInput(values.options),
    images: values.images.map((image) => {
      const kept: ProductImage = { url: image.url, alt: image.alt };
      if (image.srcset) kept.srcset = image.srcset;
      if (image.width) kept.width = image.width;
      if (image.height) kept.height = image.height;
      return kept;
    }),
  };
}

/**
 * A variant row as the API takes it. Attributes are the options' values plus whatever the variant
 * held that no option of the loaded product named (kept as they were); its title is its option values.
 */
export function variantInput(
  row: VariantValues,
  options: OptionValues[],
  currency: string,
  kept: Record<string, string> = {},
): Omit<VariantInput, 'onHand'> {
  const named = optionsInput(options);
  const attributes: Record<string, string> = { ...kept };
  for (const option of named) {
    const value = row.attributes?.[attributeKey(option.name)]?.trim();
    if (value) attributes[attributeKey(option.name)] = value;
  }
  const title = named
    .map((o) => attributes[attributeKey(o.name)])
    .filter(Boolean)
    .join(' / ');
  const compareAt = row.compareAt.trim() ? toMinor(row.compareAt, currency) : null;
  return {
    sku: row.sku.trim(),
    title,
    price: { amount: toMinor(row.price, currency) ?? 0, currency },
    compareAtPrice: compareAt === null ? null : { amount: compareAt, currency },
    weightGrams: parseWeight(row.weight),
    attributes,
  };
}

/** Attributes of a loaded variant that none of the loaded product's options name. */
export function keptAttributes(variant: StaffVariant | undefined, loadedOptions: StaffProduct['options']) {
  if (!variant) return {};
  const optionKeys = new Set(loadedOptions.map((o) => attributeKey(o.name)));
  return Object.fromEntries(Object.entries(variant.attributes).filter(([key]) => !optionKeys.has(key)));
}

/** The fields of a variant that changed, for PATCH /admin/variants/{id}; null when none did. */
export function variantChanges(
  before: StaffVariant,
  after: Omit<VariantInput, 'onHand'>,
): VariantPatch | null {
  const patch: VariantPatch = {};
  if (after.sku !== before.sku) patch.sku = after.sku;
  if (after.title !== before.title && after.title) patch.title = after.title;
  if (after.price.amount !== before.price.amount) patch.price = after.price;
  if ((after.compareAtPrice?.amount ?? null) !== (before.compareAtPrice?.amount ?? null))
    patch.compareAtPrice = after.compareAtPrice ?? null;
  if ((after.weightGrams ?? null) !== before.weightGrams) patch.weightGrams = after.weightGrams ?? null;
  const sameAttributes =
    JSON.stringify(Object.entries(after.attributes ?? {}).sort()) ===
    JSON.stringify(Object.entries(before.attributes).sort());
  if (!sameAttributes) patch.attributes = after.attributes ?? {};
  return Object.keys(patch).length ? patch : null;
}
