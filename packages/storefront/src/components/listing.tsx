import { useRef, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { formatMoney } from '../format.js';
import { useSession } from '../session.js';
import { dataOf, type LoadContext, type ProductListing } from '../shop.js';
import { ProductGrid } from './product-card.js';

/** The highest price filter the catalogue takes, in minor units. */
const MAX_PRICE = 2_000_000_000;

const SORTS = [
  ['relevance', 'Best match'],
  ['newest', 'Newest'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
  ['name', 'Name'],
] as const;
type Sort = (typeof SORTS)[number][0];

/** The listing query a page's address asks for: filters, sort and page, checked before use. */
export function listingQuery(search: URLSearchParams, base: { q?: string; category?: string }) {
  const int = (name: string) => {
    const value = Number(search.get(name));
    return search.has(name) && Number.isInteger(value) && value >= 0 && value <= MAX_PRICE
      ? value
      : undefined;
  };
  const sort = search.get('sort') as Sort | null;
  const validSort =
    SORTS.some(([value]) => value === sort) && (sort !== 'relevance' || base.q) ? sort! : undefined;
  const attr = search
    .getAll('attr')
    .filter((a) => /^[a-z][a-z0-9_-]{0,49}:.{1,100}$/.test(a))
    .slice(0, 10);
  const cursor = search.get('cursor') ?? undefined;
  return {
    ...base,
    limit: 24,
    ...(validSort ? { sort: validSort } : {}),
    ...(int('minPrice') !== undefined ? { minPrice: int('minPrice') } : {}),
    ...(int('maxPrice') !== undefined ? { maxPrice: int('maxPrice') } : {}),
    ...(search.get('inStock') === 'true' ? { inStock: true } : {}),
    ...(attr.length ? { attr } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/**
 * The products a listing page shows. Filters the catalogue refuses (a stale page cursor, say) are
 * dropped rather than shown as an error: the shopper gets the listing without them.
 */
export async function loadListing(
  ctx: LoadContext,
  base: { q?: string; category?: string },
): Promise<ProductListing> {
  const answer = await ctx.api.GET('/api/catalogue/products', {
    params: { query: listingQuery(ctx.search, base) },
  });
  if (answer.response.status === 400) {
    return dataOf(
      await ctx.api.GET('/api/catalogue/products', { params: { query: { ...base, limit: 24 } } }),
    );
  }
  return dataOf(answer);
}

/**
 * Products with their filters: price, attributes (sizes, colours, ...) and stock, each with its count
 * from the catalogue's facets. The filters are a plain form, so they work before any script runs.
 */
export function Listing({
  listing,
  search,
  path,
}: {
  listing: ProductListing;
  search: URLSearchParams;
  path: string;
}) {
  const { store } = useSession();
  const navigate = useNavigate();
  const form = useRef<HTMLFormElement>(null);
  const hasQuery = search.has('q');
  const chosen = new Set(search.getAll('attr'));
  const currentRange = `${search.get('minPrice') ?? ''}-${search.get('maxPrice') ?? ''}`;
  const currency = listing.items[0]?.priceRange?.currency ?? store.currency;

  function apply(event?: FormEvent) {
    event?.preventDefault();
    const data = new FormData(form.current!);
    const next = new URLSearchParams();
    if (search.get('q')) next.set('q', search.get('q')!);
    const range = String(data.get('price') ?? '');
    const [min, max] = range.split('-');
    if (min) next.set('minPrice', min);
    if (max) next.set('maxPrice', max);
    for (const value of data.getAll('attr')) next.append('attr', String(value));
    if (data.get('inStock')) next.set('inStock', 'true');
    const sort = String(data.get('sort') ?? '');
    if (sort) next.set('sort', sort);
    const query = next.toString();
    navigate(query ? `${path}?${query}` : path);
  }

  const nextPage = new URLSearchParams(search);
  if (listing.nextCursor) nextPage.set('cursor', listing.nextCursor);
  return (
    <div className="listing">
      <form
        ref={form}
        className="filters"
        method="get"
        action={path}
        onSubmit={apply}
        onChange={() => apply()}
        aria-label="Filters"
      >
        {hasQuery && <input type="hidden" name="q" value={search.get('q')!} />}
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={search.get('sort') ?? ''}>
            <option value="">{hasQuery ? 'Best match' : 'Featured'}</option>
            {SORTS.filter(([value]) => value !== 'relevance').map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>Availability</legend>
          <label className="check">
            <input
              type="checkbox"
              name="inStock"
              value="true"
              defaultChecked={search.get('inStock') === 'true'}
            />
            In stock <span className="count">({listing.facets.inStock})</span>
          </label>
        </fieldset>
        {listing.facets.priceRanges.length > 0 && (
          <fieldset>
            <legend>Price</legend>
            <label className="check">
              <input type="radio" name="price" value="" defaultChecked={currentRange === '-'} /> Any price
            </label>
            {listing.facets.priceRanges.map((range) => {
              const value = `${range.min}-${range.max ?? ''}`;
              const label =
                range.max === null
                  ? `${formatMoney(range.min, currency, store)} and up`
                  : `${formatMoney(range.min, currency, store)} – ${formatMoney(range.max, currency, store)}`;
              return (
                <label className="check" key={value}>
                  <input type="radio" name="price" value={value} defaultChecked={currentRange === value} />{' '}
                  {label} <span className="count">({range.count})</span>
                </label>
              );
            })}
          </fieldset>
        )}
        {listing.facets.attributes.map((attribute) => (
          <fieldset key={attribute.name}>
            <legend className="capitalize">{attribute.name}</legend>
            {attribute.values.map((value) => {
              const token = `${attribute.name}:${value.value}`;
              return (
                <label className="check" key={token}>
                  <input type="checkbox" name="attr" value={token} defaultChecked={chosen.has(token)} />{' '}
                  {value.value} <span className="count">({value.count})</span>
                </label>
              );
            })}
          </fieldset>
        ))}
        <noscript>
          <button type="submit" className="button">
            Apply filters
          </button>
        </noscript>
      </form>
      <div className="results">
        <p className="muted" role="status">
          {listing.total} {listing.total === 1 ? 'product' : 'products'}
        </p>
        {listing.items.length ? (
          <ProductGrid products={listing.items} eager={4} />
        ) : (
          <p className="empty">No products match. Try fewer filters or another search.</p>
        )}
        {listing.nextCursor && (
          <p className="more">
            <Link className="button" to={`${path}?${nextPage.toString()}`}>
              Next page
            </Link>
          </p>
        )}
      </div>
    </div>
  );
}
