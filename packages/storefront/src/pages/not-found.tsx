import { Link } from 'react-router';
import type { PageLoad } from '../shop.js';

export async function load(): Promise<PageLoad<null>> {
  return { data: null, head: { title: 'Page not found', noIndex: true }, status: 404 };
}

export default function NotFoundPage() {
  return (
    <div className="container narrow">
      <h1>Page not found</h1>
      <p>
        The page you are looking for is not here. <Link to="/">Back to the shop</Link>
      </p>
    </div>
  );
}
