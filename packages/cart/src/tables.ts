import type { Generated, Selectable } from 'kysely';

/** Row types of the cart schema (see migrations/). */
export interface CartTable {
  id: string;
  /** sha256 (hex) of a guest cart's token; null for a customer's cart. */
  token_hash: string | null;
  customer_id: string | null;
  status: 'active' | 'merged' | 'expired' | 'completed';
  currency: string;
  /** Destination country (ISO 3166-1 alpha-2) chosen with a shipping method; also picks the tax rate. */
  country: string | null;
  shipping_method: string | null;
  discount_id: string | null;
  /** The order a completed cart was checked out as; null until then. */
  order_ref: string | null;
  created_at: Generated<Date>;
  /** The last change: a cart expires after its idle time without one. */
  updated_at: Generated<Date>;
}

export interface CartLineTable {
  id: string;
  cart_id: string;
  product_id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  created_at: Generated<Date>;
}

export interface TaxRateTable {
  country: string;
  tax_class: string;
  rate_basis_points: number;
}

/** The one row of store-wide pricing settings (id is always 1). */
export interface PricingSettingsTable {
  id: number;
  prices_include_tax: boolean;
  default_country: string | null;
  updated_at: Generated<Date>;
}

export interface DiscountTable {
  id: string;
  code: string;
  kind: 'percentage' | 'fixed';
  /** Basis points of the goods subtotal (percentage) or minor units (fixed). */
  value: number;
  minimum_subtotal: number;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  used: Generated<number>;
  active: boolean;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DiscountRedemptionTable {
  order_ref: string;
  discount_id: string;
  customer_id: string | null;
  status: 'redeemed' | 'released';
  redeemed_at: Generated<Date>;
  released_at: Date | null;
}

export interface CartTables {
  carts: CartTable;
  cart_lines: CartLineTable;
  tax_rates: TaxRateTable;
  pricing_settings: PricingSettingsTable;
  discounts: DiscountTable;
  discount_redemptions: DiscountRedemptionTable;
}

export type CartRow = Selectable<CartTable>;
export type CartLineRow = Selectable<CartLineTable>;
export type DiscountRow = Selectable<DiscountTable>;
export type RedemptionRow = Selectable<DiscountRedemptionTable>;
