import type { Head, StoreInfo } from './shop.js';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON inside a <script> element: `<` is escaped so that no text can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function fullTitle(head: Head, store: StoreInfo): string {
  return head.title === store.name ? store.name : `${head.title} | ${store.name}`;
}

function absolute(store: StoreInfo, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${store.origin}${pathOrUrl}`;
}

/** The <head> tags of a page as HTML, for the server's answer. */
export function headHtml(head: Head, store: StoreInfo): string {
  const title = fullTitle(head, store);
  const tags = [`<title>${escapeHtml(title)}</title>`];
  const meta = (attr: string, key: string, value: string) =>
    tags.push(`<meta ${attr}="${key}" content="${escapeHtml(value)}">`);
  if (head.description) meta('name', 'description', head.description);
  if (head.noIndex) meta('name', 'robots', 'noindex');
  if (head.canonicalPath)
    tags.push(`<link rel="canonical" href="${escapeHtml(absolute(store, head.canonicalPath))}">`);
  meta('property', 'og:site_name', store.name);
  meta('property', 'og:title', head.title);
  meta('property', 'og:type', head.type ?? 'website');
  if (head.description) meta('property', 'og:description', head.description);
  if (head.canonicalPath) meta('property', 'og:url', absolute(store, head.canonicalPath));
  if (head.image) meta('property', 'og:image', absolute(store, head.image));
  meta('name', 'twitter:card', head.image ? 'summary_large_image' : 'summary');
  if (head.jsonLd)
    tags.push(`<script type="application/ld+json" id="jsonld">${scriptJson(head.jsonLd)}</script>`);
  return tags.join('\n    ');
}

/** Updates the document's title and description after a page changed in the browser. */
export function applyHead(head: Head, store: StoreInfo): void {
  document.title = fullTitle(head, store);
  const description = document.querySelector('meta[name="description"]');
  if (description && head.description) description.setAttribute('content', head.description);
  const canonical = document.querySelector('link[rel="canonical"]');
  if (canonical && head.canonicalPath) canonical.setAttribute('href', absolute(store, head.canonicalPath));
}
