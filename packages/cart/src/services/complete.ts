import { assertInput, authorize, Conflict, type AccessRule, type RequestContext } from '@shopstack/kernel';
import { CompleteCartInput, type Cart } from '../schemas/cart.js';
import { actsForShopper, cartNotFound, owns } from './access.js';
import type { CartService } from './carts.js';

/** Carts are completed by checkout (the orders service) once the order is paid, or by staff. */
export const COMPLETES: AccessRule = { staff: true, services: ['orders'] };

function isOrderRefTaken(err: unknown): boolean {
  const pgError = err as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === 'carts_order_ref_idx';
}

/**
 * Marks an active cart completed as the order it was checked out as, in one conditional update;
 * from then on it refuses every change (409 cart_completed) and reads show status 'completed'.
 * Completing again with the same orderRef answers the cart as it is; a cart completed as another
 * order, merged or expired is 409 cart_not_active, and an orderRef another cart was completed as
 * is 409 order_ref_taken. For staff and the orders service; when the call carries a shopper (the
 * orders service passing a checkout on), the cart must be theirs, as for reading it.
 */
export async function completeCart(
  ctx: RequestContext,
  carts: CartService,
  cartId: string,
  cartToken: string | undefined,
  input: CompleteCartInput,
): Promise<Cart> {
  authorize(ctx, COMPLETES, 'complete a cart');
  assertInput(CompleteCartInput, input);
  const { orderRef } = input;
  // Only a shopper's cart must be theirs: staff and the orders service (recovering a guest's
  // checkout, without its token) go straight to the update, which finds the cart itself.
  if (actsForShopper(ctx)) {
    const found = await carts.repo.find(cartId);
    if (!found || !owns(ctx, found.cart, cartToken)) throw cartNotFound(cartId);
  }
  let completed;
  try {
    completed = await carts.repo.complete(cartId, orderRef, new Date(Date.now() - carts.pricer.idleMs));
  } catch (err) {
    if (!isOrderRefTaken(err)) throw err;
    throw new Conflict(`Another cart was checked out as order ${orderRef}.`, {
      code: 'order_ref_taken',
      cartId,
      orderRef,
    });
  }
  if (completed) {
    ctx.log.info({ cartId, orderRef }, 'cart completed');
    return carts.pricer.view(ctx, completed);
  }
  const record = await carts.repo.find(cartId);
  if (!record) throw cartNotFound(cartId);
  const { status, order_ref: completedAs } = record.cart;
  if (status === 'completed' && completedAs === orderRef) return carts.pricer.view(ctx, record);
  // An active cart the update passed over was idle past its expiry.
  const state = status === 'active' ? 'expired' : status;
  throw new Conflict(
    status === 'completed'
      ? `Cart ${cartId} was checked out as another order.`
      : `Cart ${cartId} is ${state}: only an active cart can be checked out.`,
    { code: 'cart_not_active', cartId, cartStatus: state },
  );
}
