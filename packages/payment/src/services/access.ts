import { isAllowed, NotFound, type AccessRule, type RequestContext } from '@shopstack/kernel';
import type { IntentRow } from '../tables.js';

/** Money is moved, and intents found by reference, by checkout (the orders service) and by staff. */
export const CHARGES: AccessRule = { staff: true, services: ['orders'] };

export function intentNotFound(id: string): NotFound {
  return new NotFound(`There is no payment intent ${id}.`, {
    code: 'payment_intent_not_found',
    intentId: id,
  });
}

/** Whether the context sees every intent (staff, the orders service) rather than only its own. */
export function seesAllIntents(ctx: RequestContext): boolean {
  return isAllowed(ctx, CHARGES);
}

/**
 * Whether the context may see an intent: staff and the orders service any, a customer their own.
 * Anyone else is told it does not exist, so nobody learns which intents there are.
 */
export function maySee(ctx: RequestContext, intent: IntentRow): boolean {
  if (seesAllIntents(ctx)) return true;
  return ctx.actor.kind === 'customer' && intent.customer_id !== null && intent.customer_id === ctx.actor.id;
}
