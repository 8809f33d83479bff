import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { createApiClient, type ApiClient } from '@shopstack/api-client';
import type { Config } from '@shopstack/kernel';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { injectFetch } from './inject-fetch.js';
import { pageHtml, readManifest, type Manifest } from './page-html.js';
import { robotsTxt, sitemapXml } from './seo.js';
import type { RenderedPage } from '../src/entry-server.js';
import type { StoreInfo } from '../src/shop.js';

/** Where `npm run build` puts the storefront: the browser's assets and the server renderer. */
export const STOREFRONT_DIST = path.resolve(import.meta.dirname, '..', 'dist');

/** Hashed assets never change under their name: a year, immutable. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Paths the storefront never answers: the API, operations endpoints and the admin app. */
const NOT_PAGES = /^\/(api|health|metrics|admin)(\/|$)/;

interface Renderer {
  render(url: string, api: ApiClient, store: StoreInfo): Promise<RenderedPage>;
}

export interface StorefrontOptions {
  config: Config;
  /** The built storefront (default: this package's dist). */
  distDir?: string;
  /** Serve from the sources with hot reload instead of the build (`npm run dev`). */
  dev?: boolean;
}

/** The store's public origin: the configured one, else the origin the request came to. */
function originOf(config: Config, request: FastifyRequest): string {
  return config.store.publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * The storefront on the store's own port: server-rendered pages at `/` (their data read through the
 * store's public API, in-process), hashed assets with year-long caching, sitemap.xml and robots.txt.
 */
export function storefrontPlugin(options: StorefrontOptions): FastifyPluginAsync {
  const dist = options.distDir ?? STOREFRONT_DIST;
  const { config } = options;
  return async (app: FastifyInstance) => {
    const api = createApiClient({ baseUrl: 'http://store.internal', fetch: injectFetch(app) });
    let nav: { value: StoreInfo['nav']; at: number } | null = null;

    async function storeInfo(request: FastifyRequest): Promise<StoreInfo> {
      // The navigation is read at most every 30 s: a category change shows within that.
      if (!nav || Date.now() - nav.at > 30_000) {
        const { data } = await api.GET('/api/catalogue/categories');
        nav = { value: (data?.items ?? []).map((c) => ({ name: c.name, slug: c.slug })), at: Date.now() };
      }
      return {
        name: config.store.name,
        currency: config.store.currency,
        locale: config.store.locale,
        defaultCountry: config.store.country,
        origin: originOf(config, request),
        nav: nav.value,
      };
    }

    if (options.dev) {
      const { serveStorefrontSources } = await import('./dev.js');
      await serveStorefrontSources(app, api, storeInfo, NOT_PAGES);
      return;
    }
    const serverEntry = path.join(dist, 'server', 'entry-server.js');
    if (!existsSync(serverEntry)) {
      app.log.warn({ dist }, 'the storefront is not built: run "npm run build" to serve it');
      app.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><title>Storefront not built</title><p>Run <code>npm run build</code>, then restart.</p>',
          ),
      );
      return;
    }
    const renderer = (await import(pathToFileURL(serverEntry).href)) as Renderer;
    const manifest: Manifest = readManifest(path.join(dist, 'client'));
    await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
    await app.register(fastifyStatic, {
      root: path.join(dist, 'client', 'assets'),
      prefix: '/assets/',
      preCompressed: true,
      cacheControl: false,
      etag: true,
      lastModified: false,
      setHeaders: (reply) => reply.header('cache-control', IMMUTABLE),
    });

    // Shared caches may keep these for an hour only when their links come from the configured
    // origin; links taken from the request's Host are not to be cached for anyone else.
    const seoCaching = config.store.publicUrl ? 'public, max-age=3600' : 'no-cache';
    // The sitemap walks the whole catalogue: one build at a time, reused for five minutes per origin.
    const sitemaps = new Map<string, { xml: Promise<string>; at: number }>();
    const sitemapFor = (origin: string): Promise<string> => {
      const cached = sitemaps.get(origin);
      if (cached && Date.now() - cached.at < 300_000) return cached.xml;
      const xml = sitemapXml(api, origin);
      if (sitemaps.size > 20) sitemaps.clear();
      sitemaps.set(origin, { xml, at: Date.now() });
      xml.catch(() => sitemaps.delete(origin));
      return xml;
    };
    app.get('/robots.txt', { schema: { hide: true } }, async (request, reply) =>
      reply
        .header('cache-control', seoCaching)
        .header('vary', 'host')
        .type('text/plain; charset=utf-8')
        .send(robotsTxt(originOf(config, request))),
    );
    app.get('/sitemap.xml', { schema: { hide: true } }, async (request, reply) =>
      reply
        .header('cache-control', seoCaching)
        .header('vary', 'host')
        .type('application/xml; charset=utf-8')
        .send(await sitemapFor(originOf(config, request))),
    );

    app.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      schema: { hide: true },
      handler: async (request, reply) => {
        if (NOT_PAGES.test(request.url)) return reply.callNotFound();
        const store = await storeInfo(request);
        const page = await renderer.render(request.url, api, store);
        return reply
          .code(page.status)
          .header('cache-control', 'no-cache')
          .header('x-frame-options', 'SAMEORIGIN')
          .header('referrer-policy', 'strict-origin-when-cross-origin')
          .type('text/html; charset=utf-8')
          .send(pageHtml(page, store, manifest));
      },
    });
  };
}
