import path from 'node:path';
import middie from '@fastify/middie';
import type { ApiClient } from '@shopstack/api-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RenderedPage } from '../src/entry-server.js';
import { scriptJson } from '../src/head.js';
import type { StoreInfo } from '../src/shop.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The storefront from its sources, for front-end work (`npm run dev`): Vite in middleware mode
 * compiles modules on request and pushes changes to the browser (hot reload); pages are still
 * rendered on the server, with the renderer reloaded as its sources change.
 */
export async function serveStorefrontSources(
  app: FastifyInstance,
  api: ApiClient,
  storeInfo: (request: FastifyRequest) => Promise<StoreInfo>,
  notPages: RegExp,
): Promise<void> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.ts'),
    appType: 'custom',
    server: { middlewareMode: true, hmr: { port: 24678 } },
  });
  app.addHook('onClose', () => vite.close());
  await app.register(middie);
  app.use((req, res, next) => (notPages.test(req.url ?? '') ? next() : vite.middlewares(req, res, next)));

  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      if (notPages.test(request.url)) return reply.callNotFound();
      const store = await storeInfo(request);
      const { render } = (await vite.ssrLoadModule('/src/entry-server.tsx')) as {
        render: (url: string, api: ApiClient, store: StoreInfo) => Promise<RenderedPage>;
      };
      const page = await render(request.url, api, store);
      const html = await vite.transformIndexHtml(
        request.url,
        `<!doctype html>
<html lang="${store.locale.split('-')[0]}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${page.head}
  </head>
  <body>
    <div id="root">${page.html}</div>
    <script>window.__SHOPSTACK__ = ${scriptJson({ store, page: page.snapshot })};</script>
    <script type="module" src="/src/entry-client.tsx"></script>
  </body>
</html>`,
      );
      return reply
        .code(page.status)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(html);
    },
  });
}
