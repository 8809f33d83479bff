import { Link } from 'react-router';
import { ProductGrid } from '../components/product-card.js';
import {
  dataOf,
  type Category,
  type LoadContext,
  type PageLoad,
  type PageProps,
  type ProductSummary,
} from '../shop.js';

interface HomeData {
  categories: Category[];
  newest: ProductSummary[];
}

export async function load({ api, store }: LoadContext): Promise<PageLoad<HomeData>> {
  const [categories, newest] = await Promise.all([
    api.GET('/api/catalogue/categories').then(dataOf),
    api
      .GET('/api/catalogue/products', { params: { query: { limit: 8, sort: 'newest', inStock: true } } })
      .then(dataOf),
  ]);
  return {
    data: {
      categories: categories.items.filter((c) => c.productCount > 0).slice(0, 8),
      newest: newest.items,
    },
    head: {
      title: store.name,
      description: `Shop ${categories.items
        .map((c) => c.name.toLowerCase())
        .slice(0, 4)
        .join(', ')} and more at ${store.name}.`,
      canonicalPath: '/',
      jsonLd: {
        '@context': 'https://schema.org',
        '@type': 'WebSite',
        name: store.name,
        url: `${store.origin}/`,
        potentialAction: {
          '@type': 'SearchAction',
          target: `${store.origin}/search?q={search_term_string}`,
          'query-input': 'required name=search_term_string',
        },
      },
    },
  };
}

export default function Home({ data }: PageProps<HomeData>) {
  return (
    <div className="container home">
      <section className="hero" aria-labelledby="hero-title">
        <div>
          <p className="eyebrow">New season</p>
          <h1 id="hero-title">Gear that goes the distance</h1>
          <p className="lead">Hand-picked products, shipped fast. Free shipping on larger orders.</p>
          {data.categories[0] && (
            <Link className="button button-primary" to={`/c/${data.categories[0].slug}`}>
              Shop {data.categories[0].name}
            </Link>
          )}
        </div>
      </section>

      <section aria-labelledby="categories-title">
        <h2 id="categories-title">Shop by category</h2>
        <ul className="category-tiles" role="list">
          {data.categories.map((category) => (
            <li key={category.id}>
              <Link to={`/c/${category.slug}`} className="category-tile">
                <span className="category-name">{category.name}</span>
                <span className="muted">{category.productCount} products</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="new-title">
        <h2 id="new-title">New arrivals</h2>
        <ProductGrid products={data.newest} eager={4} />
      </section>
    </div>
  );
}
