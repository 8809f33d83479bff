import type { ColumnType, Generated, Selectable } from 'kysely';

/** Row types of the catalogue schema (see migrations/). */
export interface CategoryTable {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  description: Generated<string>;
  path: string;
  position: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProductOption {
  name: string;
  values: string[];
}

export interface ProductImage {
  url: string;
  alt: string;
  /** Other sizes, as an upload answers them (see the Image schema). */
  srcset?: string;
  width?: number;
  height?: number;
}

type Json<T> = ColumnType<T, string, string>;

export interface ProductTable {
  id: string;
  slug: string;
  name: string;
  description: Generated<string>;
  status: 'draft' | 'published' | 'archived';
  category_id: string | null;
  options: Json<ProductOption[]>;
  images: Json<ProductImage[]>;
  currency: string;
  min_price: number | null;
  max_price: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  search_vector: ColumnType<string, never, never>;
}

export interface VariantTable {
  id: string;
  product_id: string;
  sku: string;
  title: Generated<string>;
  price: number;
  compare_at_price: number | null;
  currency: string;
  weight_grams: number | null;
  attributes: Json<Record<string, string>>;
  position: Generated<number>;
  on_hand: Generated<number>;
  reserved: Generated<number>;
  available: ColumnType<number, never, never>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReservationTable {
  order_ref: string;
  status: 'reserved' | 'released' | 'committed' | 'restocked';
  /** When a reservation still held gives its units back by itself; null never expires. */
  expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReservationLineTable {
  order_ref: string;
  sku: string;
  variant_id: string;
  quantity: number;
}

/** A product's rating as the ratings service last announced it; `seq` numbers that announcement. */
export interface ProductRatingTable {
  product_id: string;
  /** numeric(3, 2): the driver reads it as text. */
  average: ColumnType<string, number, number>;
  count: number;
  seq: ColumnType<string, number, number>;
  updated_at: Generated<Date>;
}

export interface CatalogueTables {
  categories: CategoryTable;
  products: ProductTable;
  variants: VariantTable;
  reservations: ReservationTable;
  reservation_lines: ReservationLineTable;
  product_ratings: ProductRatingTable;
}

export type CategoryRow = Selectable<CategoryTable>;
export type ProductRow = Selectable<ProductTable>;
export type VariantRow = Selectable<VariantTable>;
