import { Type, type Static } from '@sinclair/typebox';

/** Shapes shared by several catalogue resources (ids, SKUs and money come from the kernel). */
export const Slug = Type.String({
  minLength: 1,
  maxLength: 120,
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  description: 'a slug: lower-case letters and digits, words joined by single hyphens (e.g. red-shoe)',
});
/**
 * Where an image is: an absolute http(s) URL with a host, or a path on this site starting with a
 * single `/`. Nothing else (javascript:, data:, //host, backslashes, spaces) can end up in an src.
 */
const URL_CHAR = String.raw`[^\s\\\u0000-\u001f\u007f]`;
export const IMAGE_URL_PATTERN = String.raw`^(?:[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]${URL_CHAR}*)?|/(?![/\\])${URL_CHAR}*)$`;

export const ImageUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: IMAGE_URL_PATTERN,
  description:
    'an http(s) URL such as https://cdn.example.com/a.jpg, or a path on this site such as /images/a.jpg',
});

/**
 * A srcset as the img element takes it: image candidates separated by commas, each a URL of the
 * same kinds as ImageUrl (without commas or spaces) and a width (`640w`) or density (`2x`) descriptor.
 */
const SRCSET_URL_CHAR = String.raw`[^\s,\\\u0000-\u001f\u007f]`;
const SRCSET_CANDIDATE = String.raw`(?:[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]${SRCSET_URL_CHAR}*)?|/(?![/\\])${SRCSET_URL_CHAR}*) +(?:[1-9][0-9]{0,4}w|[1-9](?:\.[0-9]{1,2})?x)`;
export const SRCSET_PATTERN = `^${SRCSET_CANDIDATE}(?:, *${SRCSET_CANDIDATE})*$`;

export const Image = Type.Object(
  {
    url: ImageUrl,
    alt: Type.String({ maxLength: 300 }),
    srcset: Type.Optional(
      Type.String({
        maxLength: 2000,
        pattern: SRCSET_PATTERN,
        description:
          'Other sizes of the image for the img srcset attribute, e.g. "/a-320.webp 320w, /a-640.webp 640w" ' +
          '(as an upload answers it)',
      }),
    ),
    width: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Pixels wide of the image at url' }),
    ),
    height: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: 'Pixels high of the image at url' }),
    ),
  },
  { additionalProperties: false },
);

export const ProductOptionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    values: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

/**
 * An attribute name without anchors: a lower-case letter, then up to 49 lower-case letters, digits,
 * _ or -; not `constructor`, a key JSON bodies may not hold, so such an attribute could never be sent back.
 */
export const ATTRIBUTE_NAME = '(?!constructor(?![a-z0-9_-]))[a-z][a-z0-9_-]{0,49}';

/** The one rule for attribute names, so every name a variant can hold can also be filtered on (?attr=name:value). */
export const AttributeName = Type.String({
  pattern: `^${ATTRIBUTE_NAME}$`,
  description:
    'an attribute name: a lower-case letter, then up to 49 lower-case letters, digits, _ or - (not constructor)',
});

/** Variant attributes, e.g. { "size": "M", "colour": "Red" }; a name outside AttributeName is refused. */
export const Attributes = Type.Record(AttributeName, Type.String({ minLength: 1, maxLength: 100 }), {
  maxProperties: 20,
  additionalProperties: false,
  description:
    'Attribute name (a lower-case letter, then up to 49 lower-case letters, digits, _ or -) to value',
});

/** How much shoppers learn of stock (config catalogue.stockExposure); staff always see exact numbers. */
export type StockExposure = 'exact' | 'capped' | 'status';

/** Most units a shopper is told of when the store caps stock counts. */
export const STOCK_CAP = 10;

/**
 * What shoppers may know of a SKU's stock. `inStock` is always there. With exposure `exact`,
 * `available` is the count and `moreAvailable` false; with `capped`, `available` is the count up to
 * 10 and `moreAvailable` says there are more than 10; with `status`, both are left out.
 */
export const PublicAvailability = Type.Object(
  {
    inStock: Type.Boolean({ description: 'Some units can be ordered now' }),
    available: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: `Units that can be ordered now: the count, or at most ${STOCK_CAP} when the store caps counts; absent when it shows in-stock status only`,
      }),
    ),
    moreAvailable: Type.Optional(
      Type.Boolean({
        description: `More units can be ordered than \`available\` says (over ${STOCK_CAP}, when the store caps counts); absent when it shows in-stock status only`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type PublicAvailability = Static<typeof PublicAvailability>;

/** How public routes describe their stock members, for the OpenAPI document. */
export const STOCK_EXPOSURE_NOTE =
  "Stock shows as the store's catalogue.stockExposure setting says: `exact` (inStock, available, " +
  `moreAvailable: false), \`capped\` (the default: available up to ${STOCK_CAP}, moreAvailable when there are ` +
  'more) or `status` (inStock only).';

export const ProductStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('published'),
  Type.Literal('archived'),
]);

/** A product's rating from its customers' reviews, kept from the ratings service's announcements. */
export const ProductRatingSummary = Type.Object(
  {
    average: Type.Number({
      minimum: 0,
      maximum: 5,
      description: 'Mean stars, to 2 decimals; 0 without reviews',
    }),
    count: Type.Integer({ minimum: 0, description: 'Visible reviews' }),
  },
  { additionalProperties: false },
);
