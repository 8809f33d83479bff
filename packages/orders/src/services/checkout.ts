import { randomBytes } from 'node:crypto';
import {
  assertInput,
  Conflict,
  DomainError,
  InvalidInput,
  newId,
  PaymentRequired,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { sql } from 'kysely';
import type { Cart } from '@shopstack/cart';
import type { PaymentIntent } from '@shopstack/payment';
import { CheckoutRepository } from '../repositories/checkouts.js';
import { CheckoutInput, type CheckoutResult } from '../schemas/checkout.js';
import type {
  CheckoutRow,
  CheckoutStep,
  OrderLineRow,
  OrderRow,
  OrdersTables,
  OrderTransitionRow,
} from '../tables.js';
import { orderView } from './order-view.js';
import { ignoreMissing } from './missing.js';
import { hashAccessKey, type OrderService } from './orders.js';

/** A test's way to stop a checkout after a step as if its process died there (see CheckoutOptions). */
export class CheckoutAborted extends Error {
  constructor(readonly step: CheckoutStep) {
    super(`checkout stopped after ${step}`);
  }
}

export interface CheckoutOptions {
  /**
   * Called after each step. For crash tests only: when it throws, the checkout stops there without
   * undoing anything, exactly as if its process had died (the recovery job then has to finish or
   * undo it).
   */
  afterStep?: (step: CheckoutStep, checkoutId: string) => void | Promise<void>;
}

/** An order as checkout wrote it: the row, its lines and its first timeline entry. */
interface PlacedOrder {
  order: OrderRow;
  lines: OrderLineRow[];
  entry: OrderTransitionRow;
}

/** Intent statuses in which money was taken. */
const CAPTURED = ['captured', 'partially_refunded', 'refunded'];

function problemCode(err: unknown): string {
  if (err instanceof DomainError && typeof err.details.code === 'string') return err.details.code;
  return err instanceof DomainError ? err.kind : 'internal_error';
}

/**
 * Checkout as a sequence of steps across services, each with its compensation (Medusa-style):
 * price the cart -> redeem its discount -> reserve stock -> authorize payment -> create the order ->
 * capture -> commit stock -> complete the cart. A failure before the capture undoes the earlier
 * steps (the code's use released, the stock released, the authorization voided); after it, the
 * money is taken and the remaining steps are only ever finished. Every step is keyed by the
 * checkout's id, so doing one again (a retry, the recovery job) never does it twice.
 */
export class CheckoutService {
  readonly checkouts: CheckoutRepository;

  constructor(
    private readonly runtime: ServiceRuntime<OrdersTables>,
    private readonly orders: OrderService,
    private readonly options: CheckoutOptions = {},
  ) {
    this.checkouts = new CheckoutRepository(runtime.uow, runtime.schema);
  }

  private get clients() {
    const { clients } = this.runtime;
    return {
      cart: clients.get('cart'),
      catalogue: clients.get('catalogue'),
      payment: clients.get('payment'),
      shipping: clients.get('shipping'),
    };
  }

  private async fault(step: CheckoutStep, checkoutId: string): Promise<void> {
    if (!this.options.afterStep) return;
    try {
      await this.options.afterStep(step, checkoutId);
    } catch {
      throw new CheckoutAborted(step);
    }
  }

  private get counters() {
    const { metrics } = this.runtime;
    return {
      placed: metrics.counter('shopstack_orders_placed_total', 'Orders placed and paid through checkout'),
      revenue: metrics.counter(
        'shopstack_order_revenue_minor_total',
        'Amounts captured at checkout, in minor units, by currency',
        ['currency'],
      ),
      failures: metrics.counter('shopstack_checkout_failures_total', 'Checkouts undone, by problem code', [
        'code',
      ]),
    };
  }

  /** Runs a checkout of a cart the caller owns; see the class comment for the steps. */
  async checkout(ctx: RequestContext, input: CheckoutInput, cartToken?: string): Promise<CheckoutResult> {
    assertInput(CheckoutInput, input);
    const { cart: carts, catalogue, payment } = this.clients;
    const customerId = ctx.actor.kind === 'customer' ? ctx.actor.id : null;
    const email = input.email.trim().toLowerCase();

    // Price: the cart with the chosen destination and method, as the shopper would now see it.
    let cart = await carts.getCart(ctx, input.cartId, cartToken);
    if (cart.status !== 'active') {
      throw new Conflict('This cart was checked out already.', { code: 'cart_completed', cartId: cart.id });
    }
    const method = await this.shippingMethod(ctx, cart, input);
    const country = input.shippingAddress.country;
    if (cart.shipping?.country !== country || cart.shipping.methodCode !== method.code) {
      cart = await carts.selectShipping(ctx, cart.id, { country, methodCode: method.code }, cartToken);
    }
    const lines = cart.lines.filter((line) => line.available);
    if (lines.length === 0)
      throw new InvalidInput('The cart holds nothing on sale.', 'cartId', { code: 'cart_empty' });
    if (lines.length !== cart.lines.length) {
      throw new Conflict(
        'Some products in the cart are no longer on sale; remove them and check out again.',
        {
          code: 'cart_lines_unavailable',
          lineIds: cart.lines.filter((line) => !line.available).map((line) => line.id),
        },
      );
    }
    if (input.expectedTotal !== undefined && input.expectedTotal !== cart.totals.total) {
      throw new Conflict(
        `The cart now costs ${cart.totals.total} (minor units), not the ${input.expectedTotal} shown; nothing was charged.`,
        {
          code: 'price_changed',
          expectedTotal: input.expectedTotal,
          total: cart.totals.total,
          totals: cart.totals,
        },
      );
    }

    const discountCode = cart.discount?.applicable ? cart.discount.code : null;
    const checkout = await this.checkouts.in(ctx).start({
      id: newId(),
      cart_id: cart.id,
      customer_id: customerId,
      email,
      discount_code: discountCode,
      currency: cart.totals.currency,
      total: cart.totals.total,
    });
    if (!checkout) {
      const other = await this.checkouts.in(ctx).activeOfCart(cart.id);
      if (other?.status === 'completed') {
        throw new Conflict('This cart was checked out already.', { code: 'cart_completed', cartId: cart.id });
      }
      throw new Conflict('This cart is being checked out by another request; try again shortly.', {
        code: 'checkout_in_progress',
        cartId: cart.id,
      });
    }
    await this.fault('started', checkout.id);
    const ref = checkout.id;

    let placed: PlacedOrder;
    let accessKey: string | null = null;
    let intent: PaymentIntent;
    try {
      if (discountCode) {
        await carts.redeemDiscount(ctx, { code: discountCode, orderRef: ref, customerId });
        await this.fault('discount_redeemed', ref);
      }
      await catalogue
        .reserveStock(
          ctx,
          ref,
          lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        )
        .catch(offSale);
      await this.fault('stock_reserved', ref);
      intent = await payment
        .authorize(ctx, {
          token: input.paymentToken,
          amount: cart.totals.total,
          currency: cart.totals.currency,
          reference: ref,
          customerId,
          email,
        })
        .catch(tokenRefused);
      await this.fault('payment_authorized', ref);
      if (customerId === null) accessKey = randomBytes(24).toString('base64url');
      placed = await this.createOrder(ctx, checkout, cart, method, input, intent, accessKey);
      await this.fault('order_created', ref);
    } catch (err) {
      if (!(err instanceof CheckoutAborted)) await this.undo(ctx, checkout, problemCode(err));
      throw err;
    }

    try {
      intent = await payment.capture(ctx, intent.id);
    } catch (err) {
      // A refused capture is final: undo. Anything else (no answer) leaves the outcome unknown,
      // so the checkout stays running and the recovery job asks the payment service later.
      if (err instanceof PaymentRequired) await this.undo(ctx, checkout, problemCode(err));
      throw err;
    }
    const paid = await this.markPaid(ctx, checkout, placed.order);
    const order = paid.order;
    await this.finish(ctx, checkout).catch((err: unknown) => {
      if (err instanceof CheckoutAborted) throw err;
      // The order is paid: the rest (stock commit, cart completion) is finished later by recovery.
      ctx.log.warn({ err, checkoutId: ref }, 'paid checkout not finished yet; the recovery job finishes it');
    });
    this.counters.placed.inc();
    this.counters.revenue.inc({ currency: order.currency }, order.total);
    // Everything the answer shows was just written; read back only if the move to paid was not ours.
    const view = paid.entry
      ? orderView(order, placed.lines, [placed.entry, paid.entry])
      : await this.orders.view(ctx, order);
    return { ...view, accessKey };
  }

  /** The method the shopper chose, among those shipping offers for the cart's parcel and country. */
  private async shippingMethod(ctx: RequestContext, cart: Cart, input: CheckoutInput) {
    const rates = await this.clients.shipping.rates(ctx, {
      country: input.shippingAddress.country,
      weightGrams: cart.weightGrams,
      subtotal: { amount: cart.totals.subtotal, currency: cart.totals.currency },
    });
    const method = rates.find(
      (r) => r.methodId === input.shippingMethodId || r.code === input.shippingMethodId,
    );
    if (!method) {
      throw new InvalidInput(
        `Shipping method ${input.shippingMethodId} is not offered for this cart to ${input.shippingAddress.country}.`,
        'shippingMethodId',
        { code: 'shipping_method_unavailable', offered: rates.map((r) => r.methodId) },
      );
    }
    return method;
  }

  /** The order, its lines and first timeline entry, its OrderPlaced event and the step, in one transaction. */
  private async createOrder(
    ctx: RequestContext,
    checkout: CheckoutRow,
    cart: Cart,
    method: { methodId: string; code: string; name: string },
    input: CheckoutInput,
    intent: PaymentIntent,
    accessKey: string | null,
  ): Promise<PlacedOrder> {
    const orderId = newId();
    const placed = this.runtime.outbox.prepare(
      ctx,
      {
        type: 'OrderPlaced',
        aggregate: orderId,
        data: {
          orderId,
          customerId: checkout.customer_id,
          email: checkout.email,
          total: { amount: cart.totals.total, currency: cart.totals.currency },
          lines: cart.lines.map((l) => ({ productId: l.productId, sku: l.sku, quantity: l.quantity })),
        },
      },
      // The number is drawn by the statement itself.
      { from: 'placed', addToData: sql`jsonb_build_object('number', placed.number)` },
    );
    return this.orders.repo.in(ctx).place(
      {
        id: orderId,
        checkout_id: checkout.id,
        cart_id: cart.id,
        customer_id: checkout.customer_id,
        email: checkout.email,
        status: 'pending',
        currency: cart.totals.currency,
        prices_include_tax: cart.totals.pricesIncludeTax,
        subtotal: cart.totals.subtotal,
        discount: cart.totals.discount,
        shipping: cart.totals.shipping,
        tax: cart.totals.tax,
        total: cart.totals.total,
        discount_code: checkout.discount_code,
        shipping_address: JSON.stringify(input.shippingAddress),
        shipping_method: JSON.stringify({ id: method.methodId, code: method.code, name: method.name }),
        payment_intent_id: intent.id,
        card_brand: intent.card?.brand ?? null,
        card_last4: intent.card?.last4 ?? null,
        access_key_hash: accessKey === null ? null : hashAccessKey(accessKey),
      },
      cart.lines.map((line, position) => ({
        position,
        product_id: line.productId,
        variant_id: line.variantId,
        sku: line.sku,
        name: line.name,
        quantity: line.quantity,
        unit_price: line.unitPrice.amount,
        subtotal: line.subtotal,
        discount: line.discount,
        tax: line.tax,
        total: line.total,
      })),
      ctx.actor,
      [
        placed.insert,
        this.checkouts
          .in(ctx)
          .progress(checkout.id, 'order_created', { order_id: orderId, payment_intent_id: intent.id }),
      ],
    );
  }

  /** The order is paid: its move, event and the checkout's step in one statement. */
  private async markPaid(
    ctx: RequestContext,
    checkout: CheckoutRow,
    order: OrderRow,
  ): Promise<{ order: OrderRow; entry?: OrderTransitionRow }> {
    const paid =
      (order.status === 'pending' && (await this.payPending(ctx, checkout, order))) ||
      (await this.runtime.uow.transaction(ctx, async (tx) => {
        // Pending no more: the general move decides (invalid_transition). Moved on already: as it is.
        const row = order.status === 'pending' ? await this.orders.move(tx, order.id, 'paid', null) : order;
        await this.checkouts.in(tx).reached(checkout.id, 'payment_captured');
        return { order: row };
      }));
    await this.fault('payment_captured', checkout.id);
    return paid;
  }

  /** The move of a pending order to paid, with its event and the checkout's step; null if it was not pending. */
  private async payPending(
    ctx: RequestContext,
    checkout: CheckoutRow,
    order: OrderRow,
  ): Promise<{ order: OrderRow; entry: OrderTransitionRow } | null> {
    const event = this.runtime.outbox.prepare(
      ctx,
      { type: 'OrderPaid', aggregate: order.id, data: this.orders.moveData(order, 'paid') },
      { from: 'moved' },
    );
    return this.orders.repo
      .in(ctx)
      .payPending(order.id, ctx.actor, [
        event.insert,
        this.checkouts.in(ctx).progress(checkout.id, 'payment_captured', {}, 'moved'),
      ]);
  }

  /**
   * After the capture: the stock becomes a sale and the cart is done, side by side (neither needs the
   * other). Each may be done again safely; the checkout is completed once both are.
   */
  async finish(ctx: RequestContext, checkout: CheckoutRow): Promise<void> {
    const { catalogue, cart } = this.clients;
    await Promise.all([
      catalogue.commitStock(ctx, checkout.id).then(() => this.fault('stock_committed', checkout.id)),
      // The cart is completed by the orders service itself, not on the shopper's behalf: the
      // recovery job finishes checkouts without the guest's cart token.
      cart
        .completeCart({ ...ctx, actor: { kind: 'service', name: 'orders' } }, checkout.cart_id, {
          orderRef: checkout.id,
        })
        .then(() => this.fault('cart_completed', checkout.id)),
    ]);
    await this.checkouts.in(ctx).end(checkout.id, 'completed', null, 'cart_completed');
  }

  /**
   * Undoes what a checkout may have done, newest first: the pending order cancelled, the
   * authorization voided, the stock released, the code's use given back. Each is keyed by the
   * checkout and harmless when there is nothing to undo. Returns false when a service could not be
   * reached: the checkout stays running and the recovery job undoes the rest later.
   */
  async undo(ctx: RequestContext, checkout: CheckoutRow, failureCode: string): Promise<boolean> {
    const { catalogue, cart, payment } = this.clients;
    try {
      const order = await this.orders.repo.in(ctx).findByCheckout(checkout.id);
      if (order?.status === 'pending')
        await this.orders.move(ctx, order.id, 'cancelled', `checkout failed: ${failureCode}`);
      const intent = await payment.findIntentByReference(ctx, checkout.id);
      if (intent?.status === 'authorized') await payment.voidIntent(ctx, intent.id);
      await ignoreMissing(catalogue.releaseStock(ctx, checkout.id));
      if (checkout.discount_code) await ignoreMissing(cart.releaseDiscount(ctx, checkout.id));
      await this.checkouts.in(ctx).end(checkout.id, 'failed', failureCode);
      this.counters.failures.inc({ code: failureCode });
      ctx.log.info({ checkoutId: checkout.id, failureCode }, 'checkout undone');
      return true;
    } catch (err) {
      ctx.log.warn({ err, checkoutId: checkout.id }, 'checkout not undone yet; the recovery job retries');
      return false;
    }
  }

  /**
   * Recovery of one checkout whose process died (or lost a service) half-way: when money was taken,
   * or the order exists and its authorization still stands, the checkout is finished (captured,
   * paid, stock committed, cart completed); otherwise everything it may have done is undone.
   */
  async recover(ctx: RequestContext, checkout: CheckoutRow): Promise<'finished' | 'undone' | 'pending'> {
    const { payment } = this.clients;
    const intent = await payment.findIntentByReference(ctx, checkout.id);
    const order = await this.orders.repo.in(ctx).findByCheckout(checkout.id);
    if (order && intent && (CAPTURED.includes(intent.status) || intent.status === 'authorized')) {
      if (intent.status === 'authorized') {
        try {
          await payment.capture(ctx, intent.id);
        } catch (err) {
          if (!(err instanceof PaymentRequired)) throw err;
          return (await this.undo(ctx, checkout, problemCode(err))) ? 'undone' : 'pending';
        }
      }
      await this.markPaid(ctx, checkout, order);
      await this.finish(ctx, checkout);
      return 'finished';
    }
    return (await this.undo(ctx, checkout, 'checkout_abandoned')) ? 'undone' : 'pending';
  }
}

/** A SKU the catalogue no longer sells is the cart's problem (409), not a bad field of this request. */
function offSale(err: unknown): never {
  if (
    err instanceof InvalidInput &&
    ['sku_not_found', 'sku_not_on_sale'].includes(String(err.details.code))
  ) {
    throw new Conflict(err.message, { code: 'product_unavailable', sku: err.details.sku });
  }
  throw err;
}

/** A token the payment service does not know or that expired is a bad paymentToken. */
function tokenRefused(err: unknown): never {
  if (err instanceof DomainError && (err.kind === 'not-found' || err.kind === 'invalid-input')) {
    const code = typeof err.details.code === 'string' ? err.details.code : 'payment_token_not_found';
    throw new InvalidInput(err.message, 'paymentToken', { code });
  }
  throw err;
}
