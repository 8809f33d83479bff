import { Type, type Static } from '@sinclair/typebox';
import { Currency, Id, MinorUnits, Money, Timestamp } from '@shopstack/kernel';
import {
  ATTRIBUTE_NAME,
  Attributes,
  Image,
  ProductOptionSchema,
  ProductRatingSummary,
  ProductStatus,
  PublicAvailability,
  Slug,
} from './common.js';

/** The orders a product listing can come in; `relevance` needs a search query. */
export const PRODUCT_SORTS = ['relevance', 'price', '-price', 'newest', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const ProductSortSchema = Type.Unsafe<ProductSort>({
  type: 'string',
  enum: [...PRODUCT_SORTS],
  description:
    'relevance (default with q; only with q), price (lowest variant price first), -price, newest (default without q), name',
});

/** Fixed price facet buckets in minor units: [min, max), the last one open-ended. */
export const PRICE_BUCKETS: ReadonlyArray<{ min: number; max: number | null }> = [
  { min: 0, max: 2500 },
  { min: 2500, max: 5000 },
  { min: 5000, max: 10000 },
  { min: 10000, max: 25000 },
  { min: 25000, max: null },
];

export const CategoryRef = Type.Object(
  { id: Id, slug: Slug, name: Type.String() },
  { additionalProperties: false },
);
export type CategoryRef = Static<typeof CategoryRef>;

export const PriceRange = Type.Object(
  { min: MinorUnits, max: MinorUnits, currency: Currency },
  { additionalProperties: false, description: 'Lowest and highest variant price' },
);

/** A variant in a listing; its stock members are those of PublicAvailability (inStock, available, moreAvailable). */
export const VariantSummary = Type.Object(
  {
    id: Id,
    sku: Type.String(),
    title: Type.String(),
    price: Money,
    compareAtPrice: Type.Union([Money, Type.Null()]),
    ...PublicAvailability.properties,
    attributes: Attributes,
  },
  { additionalProperties: false },
);

/** A product as a listing or search result shows it. */
export const ProductSummary = Type.Object(
  {
    id: Id,
    slug: Slug,
    name: Type.String(),
    category: Type.Union([CategoryRef, Type.Null()]),
    image: Type.Union([Image, Type.Null()], { description: 'The first image, if any' }),
    priceRange: Type.Union([PriceRange, Type.Null()]),
    inStock: Type.Boolean({ description: 'Some variant has stock available' }),
    variants: Type.Array(VariantSummary),
    rating: ProductRatingSummary,
  },
  { additionalProperties: false },
);
export type ProductSummary = Static<typeof ProductSummary>;

const AttributeFilter = Type.String({
  pattern: `^${ATTRIBUTE_NAME}:.{1,100}$`,
  description: 'name:value, e.g. colour:Red',
});

export const ProductListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Full-text search' }),
    ),
    category: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 120,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Category id or slug; products of its subcategories are included',
      }),
    ),
    minPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2_000_000_000, description: 'Lowest variant price >=' }),
    ),
    maxPrice: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2_000_000_000, description: 'Lowest variant price <=' }),
    ),
    inStock: Type.Optional(
      Type.Boolean({ description: 'true: only products with stock available; false: only products without' }),
    ),
    attr: Type.Optional(
      Type.Array(AttributeFilter, {
        maxItems: 10,
        description: 'Repeatable; each one must hold: the product has a variant with that attribute value',
      }),
    ),
    sort: Type.Optional(ProductSortSchema),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: 'nextCursor of the previous page, same sort',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ProductListQuery = Static<typeof ProductListQuery>;

const Count = Type.Integer({ minimum: 0 });

/** Facets over the whole filtered result: each count equals the total the matching filter would give. */
export const ProductFacets = Type.Object(
  {
    categories: Type.Array(
      Type.Object(
        { id: Id, slug: Slug, name: Type.String(), count: Count },
        { additionalProperties: false, description: 'Counts include products of subcategories' },
      ),
    ),
    priceRanges: Type.Array(
      Type.Object(
        { min: MinorUnits, max: Type.Union([MinorUnits, Type.Null()]), count: Count },
        { additionalProperties: false, description: 'Lowest variant price in [min, max)' },
      ),
    ),
    attributes: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          values: Type.Array(
            Type.Object({ value: Type.String(), count: Count }, { additionalProperties: false }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    inStock: Type.Integer({ minimum: 0, description: 'Products with stock available' }),
  },
  { additionalProperties: false },
);
export type ProductFacets = Static<typeof ProductFacets>;

export const ProductListResponse = Type.Object(
  {
    items: Type.Array(ProductSummary),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    total: Count,
    facets: ProductFacets,
  },
  { additionalProperties: false },
);
export type ProductListResponse = Static<typeof ProductListResponse>;

export const ProductParams = Type.Object(
  { idOrSlug: Type.String({ minLength: 1, maxLength: 120, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

export const VariantDetail = Type.Object(
  {
    id: Id,
    sku: Type.String(),
    title: Type.String(),
    price: Money,
    compareAtPrice: Type.Union([Money, Type.Null()]),
    weightGrams: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    attributes: Attributes,
    stock: PublicAvailability,
  },
  { additionalProperties: false },
);
export type VariantDetail = Static<typeof VariantDetail>;

/** A published product with everything a product page needs. */
export const ProductDetail = Type.Object(
  {
    id: Id,
    slug: Slug,
    name: Type.String(),
    description: Type.String(),
    status: ProductStatus,
    category: Type.Union([
      Type.Object(
        {
          id: Id,
          slug: Slug,
          name: Type.String(),
          breadcrumb: Type.Array(CategoryRef, { description: 'Ancestors, from the root down' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    options: Type.Array(ProductOptionSchema),
    images: Type.Array(Image),
    priceRange: Type.Union([PriceRange, Type.Null()]),
    variants: Type.Array(VariantDetail),
    rating: ProductRatingSummary,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ProductDetail = Static<typeof ProductDetail>;

/**
 * A published variant as another service sees it (the cart checking a line): its product's page
 * and the exact units available now, whatever the store shows shoppers.
 */
export const VariantLookup = Type.Object(
  {
    product: ProductDetail,
    variantId: Id,
    available: Type.Integer({ minimum: 0, description: 'Units that can be ordered now, exactly' }),
  },
  { additionalProperties: false },
);
export type VariantLookup = Static<typeof VariantLookup>;
