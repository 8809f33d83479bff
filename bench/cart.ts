import autocannon from 'autocannon';
import { loadResult, type LoadResult } from './load.js';

/** What a connection remembers between its two requests: the cart it created. */
interface CartContext {
  cart?: { id: string; token: string };
}

/**
 * Add-to-cart as a shop front does it: each connection creates a cart (POST /api/cart), then adds a
 * line of a SKU in stock to it with the cart's token (POST /api/cart/{id}/lines), and starts over.
 * Both requests count; every answer must be a 2xx.
 */
export async function measureAddToCart(options: {
  baseUrl: string;
  skus: readonly string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}): Promise<LoadResult> {
  if (options.skus.length === 0) throw new Error('add-to-cart needs SKUs in stock');
  let next = 0;
  const fire = (seconds: number) =>
    autocannon({
      url: options.baseUrl,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/api/cart',
          headers: { 'content-type': 'application/json' },
          body: '{}',
          onResponse: (status, body, context) => {
            if (status === 201) (context as CartContext).cart = JSON.parse(body) as CartContext['cart'];
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => {
            const { cart } = context as CartContext;
            const sku = options.skus[next++ % options.skus.length]!;
            return {
              ...request,
              path: `/api/cart/${cart?.id ?? 'missing'}/lines`,
              headers: { 'content-type': 'application/json', 'x-cart-token': cart?.token ?? '' },
              body: JSON.stringify({ sku, quantity: 1 }),
            };
          },
        },
      ],
    });
  const warm = options.warmupSeconds > 0 ? await fire(options.warmupSeconds) : undefined;
  return loadResult(await fire(options.durationSeconds), warm);
}
