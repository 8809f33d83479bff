import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Price } from '../components/price.js';
import { decimalAmount } from '../format.js';
import { Reviews } from '../components/reviews.js';
import { Stars } from '../components/stars.js';
import { useSession } from '../session.js';
import {
  ApiError,
  dataOf,
  type LoadContext,
  type PageLoad,
  type PageProps,
  type ProductDetail,
  type Rating,
  type ReviewPage,
} from '../shop.js';

interface ProductData {
  product: ProductDetail | null;
  rating: Rating | null;
  reviews: ReviewPage | null;
}

type Variant = ProductDetail['variants'][number];
type Image = ProductDetail['images'][number] & { srcset?: string; width?: number; height?: number };

function plainText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export async function load(ctx: LoadContext): Promise<PageLoad<ProductData>> {
  const slug = ctx.params.slug ?? '';
  const answer = await ctx.api.GET('/api/catalogue/products/{idOrSlug}', {
    params: { path: { idOrSlug: slug } },
  });
  if (answer.response.status === 404 || answer.response.status === 400) {
    return {
      data: { product: null, rating: null, reviews: null },
      head: { title: 'Product not found', noIndex: true },
      status: 404,
    };
  }
  const product = dataOf(answer);
  const [rating, reviews] = await Promise.all([
    ctx.api
      .GET('/api/ratings/products/{productId}', { params: { path: { productId: product.id } } })
      .then((r) => r.data ?? null),
    ctx.api
      .GET('/api/ratings/products/{productId}/reviews', {
        params: { path: { productId: product.id }, query: { limit: 5, sort: 'helpful' } },
      })
      .then((r) => r.data ?? null),
  ]);
  const url = `${ctx.store.origin}/p/${product.slug}`;
  const images = product.images.map((image) =>
    /^https?:/.test(image.url) ? image.url : `${ctx.store.origin}${image.url}`,
  );
  return {
    data: { product, rating, reviews },
    head: {
      title: product.name,
      description: plainText(product.description || product.name, 160),
      canonicalPath: `/p/${product.slug}`,
      type: 'product',
      ...(product.images[0] ? { image: product.images[0].url } : {}),
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: product.name,
        description: plainText(product.description, 5000),
        url,
        image: images,
        sku: product.variants[0]?.sku,
        ...(product.category ? { category: product.category.name } : {}),
        brand: { '@type': 'Brand', name: ctx.store.name },
        offers: product.variants.map((variant) => ({
          '@type': 'Offer',
          sku: variant.sku,
          url: `${url}?variant=${variant.id}`,
          price: decimalAmount(variant.price.amount, variant.price.currency),
          priceCurrency: variant.price.currency,
          availability: variant.stock.inStock
            ? 'https://schema.org/InStock'
            : 'https://schema.org/OutOfStock',
          itemCondition: 'https://schema.org/NewCondition',
        })),
        ...(product.rating.count > 0
          ? {
              aggregateRating: {
                '@type': 'AggregateRating',
                ratingValue: product.rating.average,
                reviewCount: product.rating.count,
              },
            }
          : {}),
      },
    },
  };
}

/** The variant whose attributes hold every chosen option value, if any. */
function variantFor(product: ProductDetail, chosen: Record<string, string>): Variant | undefined {
  return product.variants.find((v) => product.options.every((o) => v.attributes[o.name] === chosen[o.name]));
}

function stockText(variant: Variant | undefined): string {
  if (!variant) return 'This combination is not available';
  if (!variant.stock.inStock) return 'Out of stock';
  const { available, moreAvailable } = variant.stock;
  if (available !== undefined && available <= 5 && !moreAvailable) return `Only ${available} left`;
  return 'In stock, ready to ship';
}

export default function ProductPage({ data, search }: PageProps<ProductData>) {
  const { product } = data;
  if (!product) {
    return (
      <div className="container narrow">
        <h1>Product not found</h1>
        <p>
          It may have been taken off sale. <Link to="/">Back to the shop</Link>
        </p>
      </div>
    );
  }
  return (
    <ProductView key={product.id} data={data as ProductData & { product: ProductDetail }} search={search} />
  );
}

function ProductView({
  data,
  search,
}: {
  data: ProductData & { product: ProductDetail };
  search: URLSearchParams;
}) {
  const { product } = data;
  const { api, ensureCart, cartHeaders, setCart, ready } = useSession();
  const initial =
    product.variants.find((v) => v.id === search.get('variant')) ??
    product.variants.find((v) => v.stock.inStock) ??
    product.variants[0];
  const [chosen, setChosen] = useState<Record<string, string>>(() => ({ ...(initial?.attributes ?? {}) }));
  const [imageIndex, setImageIndex] = useState(0);
  const [quantity, setQuantity] = useState(1);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const variant = useMemo(() => variantFor(product, chosen), [product, chosen]);
  const images = product.images as Image[];
  const image = images[imageIndex] ?? images[0];

  async function addToCart(event: FormEvent) {
    event.preventDefault();
    if (!variant) return;
    setBusy(true);
    setStatus(null);
    try {
      const cart = await ensureCart();
      const result = await api.POST('/api/cart/{id}/lines', {
        params: { path: { id: cart.id }, header: cartHeaders() },
        body: { variantId: variant.id, quantity },
      });
      const next = dataOf(result);
      setCart(next);
      setStatus({ kind: 'ok', text: `Added ${quantity} × ${product.name} (${variant.title}) to your cart.` });
    } catch (err) {
      const text =
        err instanceof ApiError && err.code === 'out_of_stock'
          ? 'Sorry, there are not that many left. Try a smaller quantity.'
          : err instanceof ApiError
            ? err.message
            : 'The cart could not be reached. Please try again.';
      setStatus({ kind: 'error', text });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="container">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">Home</Link>
          </li>
          {product.category?.breadcrumb.map((c) => (
            <li key={c.id}>
              <Link to={`/c/${c.slug}`}>{c.name}</Link>
            </li>
          ))}
          {product.category && (
            <li>
              <Link to={`/c/${product.category.slug}`}>{product.category.name}</Link>
            </li>
          )}
          <li aria-current="page">{product.name}</li>
        </ol>
      </nav>
      <div className="product">
        <div className="gallery">
          {image ? (
            <img
              className="gallery-main"
              src={image.url}
              srcSet={image.srcset}
              sizes="(max-width: 900px) 100vw, 560px"
              alt={image.alt || product.name}
              width={image.width ?? 600}
              height={image.height ?? 600}
              fetchPriority="high"
            />
          ) : (
            <div className="image-missing gallery-main" aria-hidden="true" />
          )}
          {images.length > 1 && (
            <ul className="thumbs" role="list" aria-label="Images">
              {images.map((img, index) => (
                <li key={img.url}>
                  <button
                    type="button"
                    className={index === imageIndex ? 'thumb active' : 'thumb'}
                    aria-label={`Show image ${index + 1} of ${images.length}`}
                    aria-pressed={index === imageIndex}
                    onClick={() => setImageIndex(index)}
                  >
                    <img src={img.url} alt="" width={72} height={72} loading="lazy" />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="buy">
          <h1>{product.name}</h1>
          {product.rating.count > 0 && (
            <a href="#reviews" className="rating-link">
              <Stars average={product.rating.average} count={product.rating.count} />
            </a>
          )}
          <p className="buy-price" aria-live="polite">
            {variant ? (
              <Price
                amount={variant.price.amount}
                currency={variant.price.currency}
                compareAt={variant.compareAtPrice?.amount ?? null}
              />
            ) : product.priceRange ? (
              <Price
                amount={product.priceRange.min}
                max={product.priceRange.max}
                currency={product.priceRange.currency}
              />
            ) : null}
          </p>
          <form onSubmit={addToCart} className="buy-form">
            {product.options.map((option) => (
              <fieldset key={option.name} className="option">
                <legend>
                  <span className="capitalize">{option.name}</span>:{' '}
                  <strong>{chosen[option.name] ?? '—'}</strong>
                </legend>
                <div className="option-values">
                  {option.values.map((value) => {
                    const candidate = variantFor(product, { ...chosen, [option.name]: value });
                    const soldOut = !candidate || !candidate.stock.inStock;
                    return (
                      <label key={value} className={soldOut ? 'swatch sold-out' : 'swatch'}>
                        <input
                          type="radio"
                          name={`option-${option.name}`}
                          value={value}
                          checked={chosen[option.name] === value}
                          onChange={() => {
                            setChosen((prev) => ({ ...prev, [option.name]: value }));
                            setStatus(null);
                          }}
                        />
                        <span>
                          {value}
                          {soldOut && <span className="visually-hidden"> (sold out)</span>}
                        </span>
                      </label>
                    );
                  })}
                </div>
              </fieldset>
            ))}
            <p className={variant?.stock.inStock ? 'stock in' : 'stock out'} aria-live="polite">
              {stockText(variant)}
            </p>
            <div className="buy-row">
              <div className="field quantity">
                <label htmlFor="quantity">Quantity</label>
                <input
                  id="quantity"
                  type="number"
                  min={1}
                  max={99}
                  value={quantity}
                  onChange={(event) =>
                    setQuantity(Math.max(1, Math.min(99, Number(event.target.value) || 1)))
                  }
                />
              </div>
              <button
                type="submit"
                className="button button-primary add-to-cart"
                disabled={!ready || busy || !variant?.stock.inStock}
              >
                {busy ? 'Adding…' : 'Add to cart'}
              </button>
            </div>
            {status && (
              <p
                className={status.kind === 'ok' ? 'notice notice-ok' : 'notice notice-error'}
                role={status.kind === 'ok' ? 'status' : 'alert'}
              >
                {status.text} {status.kind === 'ok' && <Link to="/cart">View cart</Link>}
              </p>
            )}
          </form>
          <section className="description" aria-labelledby="description-title">
            <h2 id="description-title">Details</h2>
            {product.description.split(/\n{2,}/).map((paragraph, index) => (
              <p key={index}>{paragraph}</p>
            ))}
            {variant && <p className="muted">SKU {variant.sku}</p>}
          </section>
        </div>
      </div>
      <Reviews productId={product.id} rating={data.rating} initial={data.reviews} />
    </div>
  );
}
