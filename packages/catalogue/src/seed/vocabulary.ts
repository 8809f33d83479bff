/** A colour a variant can come in; the code goes into SKUs. */
export interface Colour {
  name: string;
  code: string;
}

/** How the products of one category are named, priced, sized and described. */
export interface ProductStyle {
  /** Prefix of every SKU in the category. */
  skuCode: string;
  /** Share of the catalogue that falls in this category, relative to the other categories. */
  share: number;
  adjectives: readonly string[];
  materials: readonly string[];
  nouns: readonly string[];
  /** An ordered scale; each product takes a contiguous run of it (option "size"). */
  sizes?: readonly string[];
  /** How many sizes a product takes, at least and at most. */
  sizeRun?: readonly [number, number];
  /** Each size step up the scale costs this fraction more (bedding, bottles); 0 keeps one price. */
  sizeStep?: number;
  /** Offers colours (option "colour"), up to this many per product. */
  maxColours?: number;
  /** A different option than size and colour, e.g. a book's format. */
  formats?: readonly string[];
  /** Price range in major units of the currency. */
  price: readonly [number, number];
  grams: readonly [number, number];
  /** Sentences a description is assembled from. */
  features: readonly string[];
}

export interface CategorySpec {
  slug: string;
  name: string;
  description: string;
  products?: ProductStyle;
  children?: readonly CategorySpec[];
}

export const colours: readonly Colour[] = [
  { name: 'Black', code: 'BLK' },
  { name: 'White', code: 'WHT' },
  { name: 'Navy', code: 'NVY' },
  { name: 'Grey', code: 'GRY' },
  { name: 'Red', code: 'RED' },
  { name: 'Olive', code: 'OLV' },
  { name: 'Sand', code: 'SND' },
  { name: 'Forest Green', code: 'FGR' },
  { name: 'Sky Blue', code: 'SKY' },
  { name: 'Burgundy', code: 'BRG' },
  { name: 'Mustard', code: 'MST' },
  { name: 'Charcoal', code: 'CHR' },
];

/** Names of product lines, used to tell apart products that would otherwise share a name. */
export const collections: readonly string[] = [
  'Aurora',
  'Fjord',
  'Harbour',
  'Alder',
  'Summit',
  'Meridian',
  'Cascade',
  'Linden',
  'Solstice',
  'Tundra',
  'Juniper',
  'Coastal',
  'Ember',
  'Granite',
  'Willow',
  'Nordic',
  'Sierra',
  'Atlas',
  'Drift',
  'Canyon',
  'Birch',
  'Orchard',
  'Marlow',
  'Pioneer',
  'Rowan',
  'Skyline',
  'Tidal',
  'Verde',
  'Highland',
  'Quarry',
];

export const imageViews: readonly string[] = ['front view', 'back view', 'detail', 'in use'];

/** First sentences of descriptions; `{name}` is the product's name. */
export const openers: readonly string[] = [
  'Meet the {name}, made to last and easy to live with.',
  'One of our best sellers: the {name}.',
  'The {name}, kept simple and made to do its job well.',
  'Designed with everyday use in mind: the {name}.',
  'Quality materials at an honest price: the {name}.',
  'A reliable favourite for work and weekends, the {name} goes with everything.',
];

export const closers: readonly string[] = [
  'Free returns within 30 days.',
  'Backed by a two-year guarantee.',
  'Packed in recycled, plastic-free packaging.',
  'Ships within two working days.',
  'Made in a factory we visit every year.',
];
