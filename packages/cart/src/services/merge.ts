import { newId, requireCustomer, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { CartTables } from '../tables.js';
import { MAX_LINE_QUANTITY, orderableUnits, type Notice } from './cart-view.js';
import type { CartService } from './carts.js';

/**
 * Moves a guest cart into the signed-in customer's cart, at login. The guest proves the cart with
 * its token, the customer with the access token. With no active cart of their own, the customer
 * simply takes the guest cart over. Otherwise each guest line is added to the customer's cart:
 * quantities of the same variant are summed and re-checked against the catalogue (cut to what is
 * available, with a notice; lines off sale are left out), the customer's code and shipping choice
 * win over the guest's, and the guest cart is closed. Both rows are locked, guest first.
 */
export async function mergeGuestCart(
  ctx: RequestContext,
  runtime: ServiceRuntime<CartTables>,
  carts: CartService,
  guestCartId: string,
  cartToken: string | undefined,
): Promise<{ cartId: string; notices: Notice[] }> {
  const customerId = requireCustomer(ctx, 'merge a guest cart into your cart');
  try {
    return await mergeOnce(ctx, runtime, carts, customerId, guestCartId, cartToken);
  } catch (err) {
    // The customer opened a cart of their own while the guest cart was being handed over: the
    // take-over lost to it, and merging into that cart is what is left to do.
    if (!isSecondActiveCart(err)) throw err;
    return mergeOnce(ctx, runtime, carts, customerId, guestCartId, cartToken);
  }
}

function isSecondActiveCart(err: unknown): boolean {
  const pgError = err as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'carts_one_active_per_customer';
}

async function mergeOnce(
  ctx: RequestContext,
  runtime: ServiceRuntime<CartTables>,
  carts: CartService,
  customerId: string,
  guestCartId: string,
  cartToken: string | undefined,
): Promise<{ cartId: string; notices: Notice[] }> {
  return runtime.uow.transaction(ctx, async (txCtx) => {
    const repo = carts.repo.in(txCtx);
    const guest = await carts.load(txCtx, guestCartId, cartToken, repo);
    if (guest.cart.customer_id === customerId) return { cartId: guestCartId, notices: [] };
    await repo.expireIdleOf(customerId, new Date(Date.now() - carts.pricer.idleMs));
    const targetId = await repo.findActiveOf(customerId);
    // Locked, the customer's cart is read again: checked out meanwhile, it is no longer theirs to fill.
    const target = targetId === null ? null : await repo.find(targetId, true);
    if (targetId === null || target?.cart.status !== 'active') {
      await repo.update(guestCartId, { customer_id: customerId, token_hash: null });
      ctx.log.info({ cartId: guestCartId }, 'guest cart taken over by its customer');
      return { cartId: guestCartId, notices: [] };
    }
    const notices: Notice[] = [];
    for (const { row, variant } of await carts.pricer.resolve(txCtx, guest.cart, guest.lines)) {
      if (!variant) {
        notices.push({
          code: 'product_unavailable',
          message: `${row.sku} is no longer on sale and was left out.`,
        });
        continue;
      }
      const existing = target.lines.find((line) => line.variant_id === row.variant_id);
      const lineId = existing?.id ?? newId();
      const wanted = (existing?.quantity ?? 0) + row.quantity;
      const quantity = Math.min(wanted, MAX_LINE_QUANTITY, orderableUnits(variant));
      if (quantity < wanted) {
        notices.push({
          code: 'out_of_stock',
          message: `Only ${quantity} of ${row.sku} could be kept in the cart.`,
          ...(quantity > 0 ? { lineId } : {}),
        });
      }
      if (quantity <= 0) continue;
      await repo.putLine(targetId, {
        id: lineId,
        product_id: row.product_id,
        variant_id: row.variant_id,
        sku: row.sku,
        quantity,
      });
    }
    const keepShipping = target.cart.shipping_method !== null;
    await repo.update(targetId, {
      discount_id: target.cart.discount_id ?? guest.cart.discount_id,
      country: keepShipping ? target.cart.country : guest.cart.country,
      shipping_method: keepShipping ? target.cart.shipping_method : guest.cart.shipping_method,
    });
    await repo.markMerged(guestCartId);
    ctx.log.info({ cartId: targetId, guestCartId }, 'guest cart merged');
    return { cartId: targetId, notices };
  });
}
