import { createHash, randomBytes } from 'node:crypto';
import { Conflict, NotFound, secretsEqual, type RequestContext } from '@shopstack/kernel';
import type { CartRow } from '../tables.js';

/** A new guest cart token: 32 random bytes, base64url (43 characters). */
export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token: its sha256, so a leaked table opens no cart. */
export function hashCartToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function cartNotFound(cartId: string): NotFound {
  return new NotFound(`There is no cart ${cartId}.`, { code: 'cart_not_found', cartId });
}

/** When a cart expires: its idle time after its last change. */
export function expiresAt(cart: Pick<CartRow, 'updated_at'>, idleMs: number): Date {
  return new Date(cart.updated_at.getTime() + idleMs);
}

/** Whether the context may see the cart: its customer by the actor, a guest cart by its token. */
export function owns(ctx: RequestContext, cart: CartRow, cartToken: string | undefined): boolean {
  if (cart.customer_id !== null) return ctx.actor.kind === 'customer' && ctx.actor.id === cart.customer_id;
  return (
    cart.token_hash !== null &&
    cartToken !== undefined &&
    secretsEqual(hashCartToken(cartToken), cart.token_hash)
  );
}

/** A checked-out cart is kept as it was ordered: it takes no more changes. */
export function cartCompleted(cartId: string): Conflict {
  return new Conflict(`Cart ${cartId} was checked out; it takes no more changes.`, {
    code: 'cart_completed',
    cartId,
  });
}

/**
 * Refuses a cart the context does not own, or that ended without an order (merged, expired), as not
 * found: whether someone else's cart exists is not for the caller to learn. Only its owner learns
 * that it expired. An active cart and a completed one can be read.
 */
export function assertReadable(
  ctx: RequestContext,
  cart: CartRow | undefined,
  cartId: string,
  cartToken: string | undefined,
  idleMs: number,
  now = Date.now(),
): asserts cart is CartRow {
  if (!cart || !owns(ctx, cart, cartToken)) throw cartNotFound(cartId);
  if (cart.status === 'completed') return;
  if (cart.status === 'expired' || (cart.status === 'active' && expiresAt(cart, idleMs).getTime() <= now)) {
    throw new NotFound(`Cart ${cartId} expired after a time without changes.`, {
      code: 'cart_expired',
      cartId,
    });
  }
  if (cart.status !== 'active') throw cartNotFound(cartId);
}

/** As assertReadable, and refuses a completed cart (409 cart_completed): only an active cart changes. */
export function assertActiveOwned(
  ctx: RequestContext,
  cart: CartRow | undefined,
  cartId: string,
  cartToken: string | undefined,
  idleMs: number,
  now = Date.now(),
): asserts cart is CartRow {
  assertReadable(ctx, cart, cartId, cartToken, idleMs, now);
  if (cart.status === 'completed') throw cartCompleted(cartId);
}

/** Whether the call carries a shopper (a customer or a guest), whose cart it must then be. */
export function actsForShopper(ctx: RequestContext): boolean {
  return ctx.actor.kind === 'customer' || ctx.actor.kind === 'anonymous';
}
