import { Link } from 'react-router';
import { Listing, loadListing } from '../components/listing.js';
import {
  dataOf,
  type Category,
  type LoadContext,
  type PageLoad,
  type PageProps,
  type ProductListing,
} from '../shop.js';

interface CategoryData {
  category: Category | null;
  trail: Category[];
  listing: ProductListing | null;
}

/** The category with that slug anywhere in the tree, and the categories above it. */
function findCategory(
  tree: Category[],
  slug: string,
  trail: Category[] = [],
): { category: Category; trail: Category[] } | null {
  for (const node of tree) {
    if (node.slug === slug) return { category: node, trail };
    const found = findCategory(node.children as Category[], slug, [...trail, node]);
    if (found) return found;
  }
  return null;
}

export async function load(ctx: LoadContext): Promise<PageLoad<CategoryData>> {
  const slug = ctx.params.slug ?? '';
  const tree = dataOf(await ctx.api.GET('/api/catalogue/categories')).items;
  const found = findCategory(tree, slug);
  if (!found) {
    return {
      data: { category: null, trail: [], listing: null },
      head: { title: 'Category not found', noIndex: true },
      status: 404,
    };
  }
  const listing = await loadListing(ctx, { category: found.category.id });
  const filtered = [...ctx.search.keys()].length > 0;
  return {
    data: { category: found.category, trail: found.trail, listing },
    head: {
      title: found.category.name,
      description:
        found.category.description ||
        `${found.category.name} at ${ctx.store.name}: ${listing.total} products, delivered to your door.`,
      canonicalPath: `/c/${found.category.slug}`,
      ...(listing.items[0]?.image ? { image: listing.items[0].image.url } : {}),
      // A filtered listing is the same page to search engines.
      ...(filtered ? { noIndex: true } : {}),
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'BreadcrumbList',
        itemListElement: [...found.trail, found.category].map((c, index) => ({
          '@type': 'ListItem',
          position: index + 1,
          name: c.name,
          item: `${ctx.store.origin}/c/${c.slug}`,
        })),
      },
    },
  };
}

export default function CategoryPage({ data, search }: PageProps<CategoryData>) {
  if (!data.category || !data.listing) {
    return (
      <div className="container narrow">
        <h1>Category not found</h1>
        <p>
          <Link to="/">Back to the shop</Link>
        </p>
      </div>
    );
  }
  const { category } = data;
  return (
    <div className="container">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/">Home</Link>
          </li>
          {data.trail.map((c) => (
            <li key={c.id}>
              <Link to={`/c/${c.slug}`}>{c.name}</Link>
            </li>
          ))}
          <li aria-current="page">{category.name}</li>
        </ol>
      </nav>
      <h1>{category.name}</h1>
      {category.description && <p className="lead">{category.description}</p>}
      {category.children.length > 0 && (
        <ul className="chips" role="list" aria-label="Subcategories">
          {category.children.map((child) => (
            <li key={child.id}>
              <Link to={`/c/${child.slug}`} className="chip">
                {child.name}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Listing listing={data.listing} search={search} path={`/c/${category.slug}`} />
    </div>
  );
}
