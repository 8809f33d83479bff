import { Listing, loadListing } from '../components/listing.js';
import type { LoadContext, PageLoad, PageProps, ProductListing } from '../shop.js';

interface SearchData {
  q: string;
  listing: ProductListing | null;
}

export async function load(ctx: LoadContext): Promise<PageLoad<SearchData>> {
  // Cut by characters, not UTF-16 units, so that no emoji is split in half.
  const q = Array.from((ctx.search.get('q') ?? '').trim())
    .slice(0, 200)
    .join('');
  const listing = q ? await loadListing(ctx, { q }) : null;
  return {
    data: { q, listing },
    head: { title: q ? `Search: ${q}` : 'Search', noIndex: true },
  };
}

export default function SearchPage({ data, search }: PageProps<SearchData>) {
  return (
    <div className="container">
      <h1>{data.q ? <>Results for “{data.q}”</> : 'Search'}</h1>
      {data.listing ? (
        <Listing listing={data.listing} search={search} path="/search" />
      ) : (
        <p>Type what you are looking for in the search field above.</p>
      )}
    </div>
  );
}
