import { Link } from 'react-router';
import type { ProductSummary } from '../shop.js';
import { Price } from './price.js';
import { Stars } from './stars.js';

export function ProductCard({ product, eager = false }: { product: ProductSummary; eager?: boolean }) {
  const image = product.image as (ProductSummary['image'] & { srcset?: string }) | null;
  return (
    <article className="card">
      <Link to={`/p/${product.slug}`} className="card-link">
        <div className="card-image">
          {image ? (
            <img
              src={image.url}
              srcSet={image.srcset}
              sizes="(max-width: 600px) 50vw, 280px"
              alt={image.alt || product.name}
              width={600}
              height={600}
              loading={eager ? 'eager' : 'lazy'}
              decoding="async"
            />
          ) : (
            <div className="image-missing" aria-hidden="true" />
          )}
        </div>
        <h3 className="card-title">{product.name}</h3>
      </Link>
      <div className="card-meta">
        {product.priceRange && (
          <Price
            amount={product.priceRange.min}
            max={product.priceRange.max}
            currency={product.priceRange.currency}
          />
        )}
        {product.rating.count > 0 && <Stars average={product.rating.average} count={product.rating.count} />}
      </div>
      {!product.inStock && <p className="stock-out">Out of stock</p>}
    </article>
  );
}

export function ProductGrid({ products, eager = 0 }: { products: ProductSummary[]; eager?: number }) {
  return (
    <ul className="grid" role="list">
      {products.map((product, index) => (
        <li key={product.id}>
          <ProductCard product={product} eager={index < eager} />
        </li>
      ))}
    </ul>
  );
}
