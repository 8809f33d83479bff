import type { ProductImage, ProductOption } from '../tables.js';
import { SeededRandom } from './random.js';
import { categoryTree } from './departments/index.js';
import {
  closers,
  collections,
  colours,
  imageViews,
  openers,
  type CategorySpec,
  type ProductStyle,
} from './vocabulary.js';

/** A category of the demo tree, before it has an id; `parentSlug` links it to its parent. */
export interface SeedCategory {
  slug: string;
  parentSlug: string | null;
  name: string;
  description: string;
  position: number;
}

export interface SeedVariant {
  sku: string;
  title: string;
  price: number;
  compareAtPrice: number | null;
  weightGrams: number;
  attributes: Record<string, string>;
  position: number;
  onHand: number;
}

export interface SeedProduct {
  slug: string;
  name: string;
  description: string;
  status: 'draft' | 'published' | 'archived';
  categorySlug: string;
  options: ProductOption[];
  images: ProductImage[];
  variants: SeedVariant[];
  minPrice: number;
  maxPrice: number;
}

export interface GenerateOptions {
  products: number;
  currency: string;
  seed: number;
}

/** The demo category tree, parents before children. */
export function demoCategories(): SeedCategory[] {
  const out: SeedCategory[] = [];
  const walk = (specs: readonly CategorySpec[], parentSlug: string | null) => {
    specs.forEach((spec, position) => {
      out.push({ slug: spec.slug, parentSlug, name: spec.name, description: spec.description, position });
      if (spec.children) walk(spec.children, spec.slug);
    });
  };
  walk(categoryTree, null);
  return out;
}

function productCategories(): Array<{ slug: string; style: ProductStyle }> {
  const out: Array<{ slug: string; style: ProductStyle }> = [];
  const walk = (specs: readonly CategorySpec[]) => {
    for (const spec of specs) {
      if (spec.products) out.push({ slug: spec.slug, style: spec.products });
      if (spec.children) walk(spec.children);
    }
  };
  walk(categoryTree);
  return out;
}

/** Slug rules of the catalogue: lower-case words joined by single hyphens. */
function slugify(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('&', ' and ')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Minor units per major unit of a currency (100 for EUR, 1 for JPY). */
function minorFactor(currency: string): number {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
    return 10 ** (digits ?? 2);
  } catch {
    return 100;
  }
}

/** A shelf price: a whole amount ending in .99 (or .00 for currencies without minor units). */
function shelfPrice(major: number, factor: number): number {
  const whole = Math.max(1, Math.round(major));
  return factor > 1 ? whole * factor - 1 : whole;
}

/** An option of a product (size, colour, format) with each value's short code for SKUs. */
interface OptionAxis {
  name: string;
  values: Array<{ value: string; code: string }>;
}

function codeOf(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Picks the product's sizes (a contiguous run of the scale), colours and formats. */
function chooseOptions(random: SeededRandom, style: ProductStyle): OptionAxis[] {
  const axes: OptionAxis[] = [];
  if (style.sizes && style.sizeRun) {
    const run = random.int(style.sizeRun[0], Math.min(style.sizeRun[1], style.sizes.length));
    const start = random.int(0, style.sizes.length - run);
    const sizes = style.sizes.slice(start, start + run);
    axes.push({ name: 'size', values: sizes.map((size) => ({ value: size, code: codeOf(size) })) });
  }
  if (style.maxColours) {
    const picked = random.sample(colours, random.int(1, style.maxColours));
    axes.push({ name: 'colour', values: picked.map((c) => ({ value: c.name, code: c.code })) });
  }
  if (style.formats) {
    const picked = random.sample(style.formats, random.int(1, style.formats.length));
    axes.push({ name: 'format', values: picked.map((f) => ({ value: f, code: codeOf(f).slice(0, 2) })) });
  }
  return axes;
}

interface Combination {
  attributes: Record<string, string>;
  codes: string[];
  labels: string[];
  /** Position on the size scale, 0 when the product has no sizes; bigger sizes cost and weigh more. */
  sizeIndex: number;
}

/** Every combination of the options' values; a product without options has one (empty) combination. */
function combine(axes: readonly OptionAxis[]): Combination[] {
  let combinations: Combination[] = [{ attributes: {}, codes: [], labels: [], sizeIndex: 0 }];
  for (const axis of axes) {
    combinations = combinations.flatMap((c) =>
      axis.values.map((v, i) => ({
        attributes: { ...c.attributes, [axis.name]: v.value },
        codes: [...c.codes, v.code],
        labels: [...c.labels, v.value],
        sizeIndex: axis.name === 'size' ? i : c.sizeIndex,
      })),
    );
  }
  return combinations;
}

/** Hands out unique slugs: a name seen before gets -2, -3, ... */
class SlugRegistry {
  private readonly seen = new Map<string, number>();

  claim(name: string): string {
    const base = slugify(name);
    const count = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  }
}

/**
 * Generates the demo catalogue's products one by one, deterministically: the same seed and count
 * always give the same names, slugs, prices, stock and images (ids are assigned when written).
 */
export function* generateProducts(options: GenerateOptions): Generator<SeedProduct> {
  const random = new SeededRandom(options.seed);
  const factor = minorFactor(options.currency);
  const categories = productCategories();
  const shares = categories.map((c) => c.style.share);
  const slugs = new SlugRegistry();
  const usedNames = new Set<string>();

  for (let n = 1; n <= options.products; n++) {
    const { slug: categorySlug, style } = random.weighted(categories, shares);
    let name = `${random.pick(style.adjectives)} ${random.pick(style.materials)} ${random.pick(style.nouns)}`;
    if (usedNames.has(name) || random.chance(0.3)) name = `${random.pick(collections)} ${name}`;
    usedNames.add(name);
    const slug = slugs.claim(name);

    const axes = chooseOptions(random, style);
    const basePrice = style.price[0] + random.next() ** 2 * (style.price[1] - style.price[0]);
    const onSale = random.chance(0.15);
    const saleMarkup = 1.2 + random.next() * 0.3;
    const baseGrams = random.int(style.grams[0], style.grams[1]);
    const soldOut = random.chance(0.04);
    const productNo = String(n).padStart(6, '0');

    const variants: SeedVariant[] = combine(axes).map((c, position) => {
      const price = shelfPrice(basePrice * (1 + (style.sizeStep ?? 0) * c.sizeIndex), factor);
      const outOfStock = soldOut || random.chance(0.1);
      return {
        sku: [style.skuCode, productNo, ...c.codes].join('-'),
        title: c.labels.length ? c.labels.join(' / ') : 'Default',
        price,
        compareAtPrice: onSale ? shelfPrice((price / factor) * saleMarkup, factor) : null,
        weightGrams: Math.round(baseGrams * (1 + 0.08 * c.sizeIndex)),
        attributes: c.attributes,
        position,
        onHand: outOfStock ? 0 : Math.round(1 + random.next() ** 2 * 150),
      };
    });

    const roll = random.next();
    const status = roll < 0.025 ? 'draft' : roll < 0.04 ? 'archived' : 'published';
    const images = imageViews.slice(0, random.int(1, imageViews.length)).map((view, i) => ({
      url: `/api/catalogue/images/${slug}-${i + 1}.svg`,
      alt: `${name}, ${view}`,
    }));
    const features = random.sample(style.features, random.int(2, 3));
    const description = [
      random.pick(openers).replace('{name}', name),
      ...features,
      random.pick(closers),
    ].join(' ');
    const prices = variants.map((v) => v.price);

    yield {
      slug,
      name,
      description,
      status,
      categorySlug,
      options: axes.map((axis) => ({ name: axis.name, values: axis.values.map((v) => v.value) })),
      images,
      variants,
      minPrice: Math.min(...prices),
      maxPrice: Math.max(...prices),
    };
  }
}
