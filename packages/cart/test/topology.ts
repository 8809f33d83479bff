import type { AddressInfo } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import { catalogueService } from '@shopstack/catalogue';
import type { AnyService, ConfigOverrides, ShopApp } from '@shopstack/kernel';
import type { TestBackend } from '@shopstack/kernel/testing';

/**
 * How the cart's tests run: `one-process` mounts the catalogue beside the cart (the all-in-one
 * topology); `split` (SHOPSTACK_TEST_TOPOLOGY=split, a second pass of `npm test`) runs the catalogue
 * in an app of its own on a real port, which the cart reaches over HTTP with service tokens, as in
 * the distributed topology. The same tests pass in both.
 */
export const topology = process.env.SHOPSTACK_TEST_TOPOLOGY === 'split' ? 'split' : 'one-process';

/**
 * Passes /api/catalogue requests of the tests (creating products as staff, say) on to the
 * catalogue's own app, so a test reads the same whichever topology runs it.
 */
function forwardTo(prefix: string, baseUrl: string): FastifyPluginAsync {
  return async (app) => {
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url: `${prefix}/*`,
      schema: { hide: true },
      handler: async (request, reply) => {
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'content-type', 'if-none-match']) {
          const value = request.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const res = await fetch(baseUrl + request.url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        });
        reply.code(res.status);
        const type = res.headers.get('content-type');
        if (type) reply.header('content-type', type);
        return reply.send(Buffer.from(await res.arrayBuffer()));
      },
    });
  };
}

/** Builds the shop a cart test needs, in the topology this run tests. */
export async function buildShop(
  backend: TestBackend,
  options: { services: AnyService[]; config?: ConfigOverrides },
): Promise<ShopApp> {
  if (topology === 'one-process') return backend.buildApp(options);
  const catalogue = await backend.buildApp({ services: [catalogueService], config: options.config });
  await catalogue.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(catalogue.app.server.address() as AddressInfo).port}`;
  const shop = await backend.buildApp({
    services: options.services.filter((service) => service.name !== 'catalogue'),
    known: [catalogueService],
    config: { ...options.config, serviceUrls: { catalogue: url } },
    plugins: [forwardTo('/api/catalogue', url)],
  });
  if (shop.apis.has('catalogue')) throw new Error('the split topology must not mount the catalogue');
  return shop;
}
