import type { StaffProductRow } from '../repositories/catalogue-write.js';
import type { ProductRatingView } from '../repositories/product-ratings.js';
import type { StaffSummaryRow } from '../repositories/staff-product-list.js';
import type { StaffCategory, StaffProduct, StaffProductSummary, StaffVariant } from '../schemas/admin.js';
import type { CategoryRow, VariantRow } from '../tables.js';

const iso = (value: Date | string) => new Date(value).toISOString();
const money = (amount: number, currency: string) => ({ amount, currency });

/** A variant as staff see it, with on hand, reserved and available stock. */
export function toStaffVariant(row: VariantRow): StaffVariant {
  return {
    id: row.id,
    productId: row.product_id,
    sku: row.sku,
    title: row.title,
    price: money(row.price, row.currency),
    compareAtPrice: row.compare_at_price === null ? null : money(row.compare_at_price, row.currency),
    weightGrams: row.weight_grams,
    attributes: row.attributes,
    position: row.position,
    stock: { onHand: row.on_hand, reserved: row.reserved, available: row.available },
    updatedAt: iso(row.updated_at),
  };
}

function priceRange(row: { min_price: number | null; max_price: number | null; currency: string }) {
  return row.min_price === null || row.max_price === null
    ? null
    : { min: money(row.min_price, row.currency), max: money(row.max_price, row.currency) };
}

/** A product in any status as staff see it, with every variant. */
export function toStaffProduct(
  row: StaffProductRow,
  variants: VariantRow[],
  rating: ProductRatingView,
): StaffProduct {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    categoryId: row.category_id,
    options: row.options,
    images: row.images,
    currency: row.currency,
    priceRange: priceRange(row),
    variants: variants.map(toStaffVariant),
    rating,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A category as staff see it, with its materialized path. */
export function toStaffCategory(row: CategoryRow): StaffCategory {
  return {
    id: row.id,
    parentId: row.parent_id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    path: row.path,
    position: row.position,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** One line of the staff product list. */
export function toStaffSummary(row: StaffSummaryRow): StaffProductSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    status: row.status,
    categoryId: row.category_id,
    currency: row.currency,
    priceRange: priceRange(row),
    variantCount: row.variant_count,
    available: row.available,
    rating: { average: Number(row.rating_average), count: row.rating_count },
    updatedAt: iso(row.updated_at),
  };
}
