import type { ApiClient } from '@shopstack/api-client';

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    'Disallow: /cart',
    'Disallow: /checkout',
    'Disallow: /account',
    'Disallow: /orders/',
    'Disallow: /search',
    'Disallow: /admin',
    'Disallow: /api/',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
}

/** Most URLs one sitemap file may list. */
const SITEMAP_LIMIT = 50_000;

/** The home page, every category and every published product, read through the public API. */
export async function sitemapXml(api: ApiClient, origin: string): Promise<string> {
  const urls: Array<{ loc: string; lastmod?: string }> = [{ loc: `${origin}/` }];
  const { data: categories } = await api.GET('/api/catalogue/categories');
  const walk = (items: NonNullable<typeof categories>['items']) => {
    for (const category of items) {
      urls.push({ loc: `${origin}/c/${category.slug}` });
      walk(category.children as typeof items);
    }
  };
  walk(categories?.items ?? []);
  let cursor: string | undefined;
  do {
    const { data } = await api.GET('/api/catalogue/products', {
      params: { query: { limit: 100, sort: 'name', ...(cursor ? { cursor } : {}) } },
    });
    if (!data) break;
    for (const product of data.items) urls.push({ loc: `${origin}/p/${product.slug}` });
    cursor = data.nextCursor ?? undefined;
  } while (cursor && urls.length < SITEMAP_LIMIT);
  const body = urls
    .slice(0, SITEMAP_LIMIT)
    .map(
      (u) =>
        `  <url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}
