import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Config } from '@shopstack/kernel';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build` puts the admin app. */
export const ADMIN_DIST = path.resolve(import.meta.dirname, '..', 'dist');

const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface AdminOptions {
  config: Config;
  distDir?: string;
  /** Serve from the sources with hot reload instead of the build (`npm run dev`). */
  dev?: boolean;
}

/**
 * The admin app at /admin: a single-page app whose every action goes through the store's public API
 * with the staff member's token. Hashed assets are cached for a year; the page itself is revalidated.
 */
export function adminPlugin(options: AdminOptions): FastifyPluginAsync {
  const dist = options.distDir ?? ADMIN_DIST;
  return async (app: FastifyInstance) => {
    if (options.dev) {
      await serveAdminSources(app);
      return;
    }
    const indexFile = path.join(dist, 'index.html');
    if (!existsSync(indexFile)) {
      app.log.warn({ dist }, 'the admin app is not built: run "npm run build" to serve it');
      app.get('/admin', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .code(503)
          .type('text/html; charset=utf-8')
          .send(
            '<!doctype html><title>Admin not built</title><p>Run <code>npm run build</code>, then restart.</p>',
          ),
      );
      return;
    }
    const index = readFileSync(indexFile, 'utf8');
    await app.register(fastifyStatic, {
      root: path.join(dist, 'assets'),
      prefix: '/admin/assets/',
      preCompressed: true,
      cacheControl: false,
      lastModified: false,
      setHeaders: (reply) => reply.header('cache-control', IMMUTABLE),
    });
    const page = async (_request: unknown, reply: FastifyReply) =>
      reply
        .header('cache-control', 'no-cache')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'same-origin')
        .type('text/html; charset=utf-8')
        .send(index);
    app.get('/admin', { schema: { hide: true } }, page);
    app.get('/admin/*', { schema: { hide: true } }, page);
  };
}

/** The admin from its sources through Vite in middleware mode: modules compiled on request, hot reload. */
async function serveAdminSources(app: FastifyInstance): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..');
  const [{ createServer }, { default: middie }] = await Promise.all([
    import('vite'),
    import('@fastify/middie'),
  ]);
  const vite = await createServer({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    appType: 'spa',
    server: { middlewareMode: true, hmr: { port: 24679 } },
  });
  app.addHook('onClose', () => vite.close());
  await app.register(middie);
  app.use((req, res, next) =>
    /^\/admin(\/|$)/.test(req.url ?? '') ? vite.middlewares(req, res, next) : next(),
  );
  const passOn = async (_request: unknown, reply: FastifyReply) => reply.callNotFound();
  app.get('/admin', { schema: { hide: true } }, passOn);
  app.get('/admin/*', { schema: { hide: true } }, passOn);
}
