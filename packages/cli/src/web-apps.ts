import { adminPlugin } from '@shopstack/admin';
import type { Config } from '@shopstack/kernel';
import { storefrontPlugin } from '@shopstack/storefront';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The web apps a store serves beside its API, as configured: the storefront at / and the admin at
 * /admin, from their build, or from their sources with hot reload when `dev` (`npm run dev`).
 */
export function webApps(config: Config, options: { dev?: boolean } = {}): FastifyPluginAsync[] {
  const plugins: FastifyPluginAsync[] = [];
  const dev = options.dev ?? false;
  // The admin goes first: the storefront answers every other path.
  if (config.web.admin) plugins.push(adminPlugin({ config, dev }));
  if (config.web.storefront) plugins.push(storefrontPlugin({ config, dev }));
  return plugins;
}
