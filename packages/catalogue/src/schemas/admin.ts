import { Type, type Static } from '@sinclair/typebox';
import { Id, Money, Nullable, Sku, Timestamp } from '@shopstack/kernel';
import {
  Attributes,
  Image,
  ProductOptionSchema,
  ProductRatingSummary,
  ProductStatus,
  Slug,
} from './common.js';

/*
 * Staff inputs. Server-owned fields (ids, min/max price, reserved and available stock, timestamps)
 * have no property here, so a body that carries one is rejected as an unknown property. Archiving
 * has its own endpoint; `status` here only moves a product between draft and published.
 */

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 20_000 });
const Title = Type.String({ maxLength: 200 });
const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const WeightGrams = Type.Integer({ minimum: 0, maximum: 100_000_000 });
/** Most units of one SKU on hand, well inside the database's integer range however stock is adjusted. */
export const MAX_ON_HAND = 1_000_000_000;
/** Units physically in stock. */
export const OnHand = Type.Integer({ minimum: 0, maximum: MAX_ON_HAND });

/** A product may be drafted or published by staff; archiving goes through POST .../archive. */
export const EditableStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')]);

const variantFields = {
  sku: Sku,
  title: Type.Optional(Title),
  price: Money,
  compareAtPrice: Type.Optional(Nullable(Money)),
  weightGrams: Type.Optional(Nullable(WeightGrams)),
  attributes: Type.Optional(Attributes),
  position: Type.Optional(Position),
};

export const CreateVariantInput = Type.Object(
  { ...variantFields, onHand: Type.Optional(OnHand) },
  { additionalProperties: false },
);
export type CreateVariantInput = Static<typeof CreateVariantInput>;

/** Stock is not edited here: PUT /admin/stock/{sku} sets it, reservations move it. */
export const UpdateVariantInput = Type.Partial(Type.Object(variantFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateVariantInput = Static<typeof UpdateVariantInput>;

const productFields = {
  name: Name,
  slug: Type.Optional(Slug),
  description: Type.Optional(Description),
  status: Type.Optional(EditableStatus),
  options: Type.Optional(Type.Array(ProductOptionSchema, { maxItems: 10 })),
  images: Type.Optional(Type.Array(Image, { maxItems: 50 })),
  variants: Type.Optional(Type.Array(CreateVariantInput, { maxItems: 250 })),
};

export const CreateProductInput = Type.Object(
  { ...productFields, categoryId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type CreateProductInput = Static<typeof CreateProductInput>;

/** Variants are edited through their own routes, so an update carries product fields only. */
export const UpdateProductInput = Type.Partial(Type.Omit(CreateProductInput, ['variants']), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateProductInput = Static<typeof UpdateProductInput>;

export const CreateCategoryInput = Type.Object(
  {
    name: Name,
    slug: Type.Optional(Slug),
    description: Type.Optional(Description),
    parentId: Type.Optional(Nullable(Id)),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);
export type CreateCategoryInput = Static<typeof CreateCategoryInput>;

export const UpdateCategoryInput = Type.Partial(CreateCategoryInput, {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateCategoryInput = Static<typeof UpdateCategoryInput>;

export const SetStockInput = Type.Object({ onHand: OnHand }, { additionalProperties: false });
export type SetStockInput = Static<typeof SetStockInput>;

export const AdjustStockInput = Type.Object(
  {
    delta: Type.Integer({
      minimum: -1_000_000_000,
      maximum: 1_000_000_000,
      description: 'Units received (+) or written off (-)',
    }),
  },
  { additionalProperties: false },
);
export type AdjustStockInput = Static<typeof AdjustStockInput>;

/** One product of a JSON import: like a create, but the category is named by slug and the slug is the upsert key. */
export const ImportProductInput = Type.Object(
  { ...productFields, categorySlug: Type.Optional(Nullable(Slug)) },
  { additionalProperties: false },
);
export type ImportProductInput = Static<typeof ImportProductInput>;

/** Largest number of products (JSON) or rows (CSV) one import request may carry. */
export const IMPORT_MAX_ITEMS = 5_000;
/** Largest number of variants one import may carry (keeps every SKU lookup within one statement's parameters). */
export const IMPORT_MAX_VARIANTS = 20_000;

export const ImportJsonBody = Type.Union(
  [
    Type.Array(Type.Unknown(), { maxItems: IMPORT_MAX_ITEMS }),
    Type.Object(
      { products: Type.Array(Type.Unknown(), { maxItems: IMPORT_MAX_ITEMS }) },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      'An array of products (or { products: [...] }), each shaped like the body of POST /admin/products with ' +
      '`categorySlug` instead of `categoryId`. Each product is checked on its own and reported with its position (from 1).',
  },
);

export const ImportError = Type.Object({
  row: Type.Integer({
    minimum: 1,
    description: 'CSV line (the header is line 1) or position in the JSON array (from 1)',
  }),
  field: Type.String(),
  message: Type.String(),
});
export type ImportError = Static<typeof ImportError>;

export const ImportReport = Type.Object({
  created: Type.Integer({ description: 'Products created' }),
  updated: Type.Integer({ description: 'Existing products (matched by slug) updated' }),
  skipped: Type.Integer({
    description: 'Products left untouched because at least one of their rows is invalid',
  }),
  variants: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
  errors: Type.Array(ImportError),
});
export type ImportReport = Static<typeof ImportReport>;

/* Staff views: every status, stock in full. */

export const StaffVariant = Type.Object({
  id: Id,
  productId: Id,
  sku: Sku,
  title: Type.String(),
  price: Money,
  compareAtPrice: Nullable(Money),
  weightGrams: Nullable(Type.Integer()),
  attributes: Type.Record(Type.String(), Type.String()),
  position: Type.Integer(),
  stock: Type.Object({ onHand: Type.Integer(), reserved: Type.Integer(), available: Type.Integer() }),
  updatedAt: Timestamp,
});
export type StaffVariant = Static<typeof StaffVariant>;

export const PriceRange = Nullable(Type.Object({ min: Money, max: Money }));

export const StaffProduct = Type.Object({
  id: Id,
  slug: Slug,
  name: Type.String(),
  description: Type.String(),
  status: ProductStatus,
  categoryId: Nullable(Id),
  options: Type.Array(ProductOptionSchema),
  images: Type.Array(Image),
  currency: Type.String(),
  priceRange: PriceRange,
  variants: Type.Array(StaffVariant),
  rating: ProductRatingSummary,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type StaffProduct = Static<typeof StaffProduct>;

export const StaffProductSummary = Type.Object({
  id: Id,
  slug: Slug,
  name: Type.String(),
  status: ProductStatus,
  categoryId: Nullable(Id),
  currency: Type.String(),
  priceRange: PriceRange,
  variantCount: Type.Integer(),
  available: Type.Integer({ description: 'Units available over all variants' }),
  rating: ProductRatingSummary,
  updatedAt: Timestamp,
});
export type StaffProductSummary = Static<typeof StaffProductSummary>;

export const StaffProductListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    status: Type.Optional(ProductStatus),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name, slug or a SKU' }),
    ),
  },
  { additionalProperties: false },
);
export type StaffProductListQuery = Static<typeof StaffProductListQuery>;

export const StaffProductPage = Type.Object({
  items: Type.Array(StaffProductSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type StaffProductPage = Static<typeof StaffProductPage>;

export const StaffCategory = Type.Object({
  id: Id,
  parentId: Nullable(Id),
  slug: Slug,
  name: Type.String(),
  description: Type.String(),
  path: Type.String({ description: 'Ids from the root down, e.g. /<rootId>/<childId>/' }),
  position: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type StaffCategory = Static<typeof StaffCategory>;

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
