import {
  assertInput,
  authorize,
  Conflict,
  InvalidInput,
  InvalidState,
  newId,
  NotFound,
  STAFF,
  type AccessRule,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { Updateable } from 'kysely';
import { DiscountRepository } from '../repositories/discounts.js';
import {
  CreateDiscountInput,
  RedeemDiscountInput,
  UpdateDiscountInput,
  type Discount,
  type Redemption,
} from '../schemas/admin.js';
import type { CartTables, DiscountRow, DiscountTable } from '../tables.js';
import {
  discountError,
  discountNotFound,
  discountProblem,
  toDiscount,
  toRedemption,
} from './discount-rules.js';

/** Uses of codes are taken by checkout (the orders service) and by staff; nobody else. */
export const REDEEMS: AccessRule = { staff: true, services: ['orders'] };

const dateOf = (text: string | null | undefined) =>
  text === undefined ? undefined : text === null ? null : new Date(text);

function checkTerms(
  kind: DiscountRow['kind'],
  value: number,
  startsAt?: Date | null,
  endsAt?: Date | null,
): void {
  if (kind === 'percentage' && value > 10_000) {
    throw new InvalidInput('A percentage is at most 10000 basis points (100%).', 'value', {
      code: 'discount_value_invalid',
    });
  }
  if (startsAt && endsAt && endsAt <= startsAt) {
    throw new InvalidInput('endsAt must come after startsAt.', 'endsAt', { code: 'discount_window_invalid' });
  }
}

/**
 * Discount codes: staff manage them; checkout redeems a use per order, atomically, and releases it
 * when the order fails. Whether a code applies to a cart is decided in discount-rules.ts.
 */
export class DiscountService {
  readonly repo: DiscountRepository;

  constructor(private readonly runtime: ServiceRuntime<CartTables>) {
    this.repo = new DiscountRepository(runtime.uow, runtime.schema);
  }

  async create(ctx: RequestContext, input: CreateDiscountInput): Promise<Discount> {
    authorize(ctx, STAFF, 'create discount codes');
    assertInput(CreateDiscountInput, input);
    const startsAt = dateOf(input.startsAt) ?? null;
    const endsAt = dateOf(input.endsAt) ?? null;
    checkTerms(input.kind, input.value, startsAt, endsAt);
    const row = await this.repo.insert({
      id: newId(),
      code: input.code,
      kind: input.kind,
      value: input.value,
      minimum_subtotal: input.minimumSubtotal ?? 0,
      starts_at: startsAt,
      ends_at: endsAt,
      usage_limit: input.usageLimit ?? null,
      per_customer_limit: input.perCustomerLimit ?? null,
      active: input.active ?? true,
    });
    if (!row) {
      throw new Conflict(`Discount code ${input.code} already exists.`, {
        code: 'discount_code_taken',
        discountCode: input.code,
      });
    }
    ctx.log.info({ discountId: row.id }, 'discount created');
    return toDiscount(row);
  }

  async list(ctx: RequestContext): Promise<Discount[]> {
    authorize(ctx, STAFF, 'see discount codes');
    return (await this.repo.list()).map(toDiscount);
  }

  async get(ctx: RequestContext, id: string): Promise<Discount> {
    authorize(ctx, STAFF, 'see discount codes');
    const row = await this.repo.findById(id);
    if (!row) throw new NotFound(`There is no discount ${id}.`, { code: 'discount_not_found' });
    return toDiscount(row);
  }

  /** Changes a code's terms; its code and kind stay. A usage limit below the uses taken is refused. */
  async update(ctx: RequestContext, id: string, input: UpdateDiscountInput): Promise<Discount> {
    authorize(ctx, STAFF, 'change discount codes');
    assertInput(UpdateDiscountInput, input);
    return this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      // Locked, so that the uses counted here cannot grow before the new limit is written.
      const current = await tx.findById(id, true);
      if (!current) throw new NotFound(`There is no discount ${id}.`, { code: 'discount_not_found' });
      const changes: Updateable<DiscountTable> = {};
      if (input.value !== undefined) changes.value = input.value;
      if (input.minimumSubtotal !== undefined) changes.minimum_subtotal = input.minimumSubtotal;
      if (input.startsAt !== undefined) changes.starts_at = dateOf(input.startsAt);
      if (input.endsAt !== undefined) changes.ends_at = dateOf(input.endsAt);
      if (input.usageLimit !== undefined) changes.usage_limit = input.usageLimit;
      if (input.perCustomerLimit !== undefined) changes.per_customer_limit = input.perCustomerLimit;
      if (input.active !== undefined) changes.active = input.active;
      checkTerms(
        current.kind,
        changes.value ?? current.value,
        changes.starts_at === undefined ? current.starts_at : (changes.starts_at as Date | null),
        changes.ends_at === undefined ? current.ends_at : (changes.ends_at as Date | null),
      );
      if (typeof input.usageLimit === 'number' && input.usageLimit < current.used) {
        throw new Conflict(`Discount ${current.code} was used ${current.used} times already.`, {
          code: 'discount_limit_below_used',
          used: current.used,
        });
      }
      const row = (await tx.update(id, changes))!;
      ctx.log.info({ discountId: id }, 'discount changed');
      return toDiscount(row);
    });
  }

  /**
   * Takes one use of a code for an order. The order reference is claimed first (a concurrent repeat
   * waits for this transaction, then finds its redemption); the use is then taken by one
   * conditional UPDATE, which locks the discount row, so the per-customer count that follows sees
   * every earlier redemption of the code. Any refusal rolls the claim back.
   */
  async redeem(
    ctx: RequestContext,
    input: RedeemDiscountInput,
  ): Promise<{ redemption: Redemption; created: boolean }> {
    authorize(ctx, REDEEMS, 'redeem discount codes');
    assertInput(RedeemDiscountInput, input);
    const { code, orderRef } = input;
    const customerId = input.customerId ?? null;
    const discount = await this.repo.findByCode(code);
    if (!discount) throw discountNotFound(code);
    return this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      if (!(await tx.claimRedemption(orderRef, discount.id, customerId))) {
        const existing = (await tx.findRedemption(orderRef))!;
        if (existing.discount_id !== discount.id || existing.customer_id !== customerId) {
          throw new Conflict(`Order ${orderRef} redeemed another code or for another customer.`, {
            code: 'redemption_differs',
            orderRef,
          });
        }
        if (existing.status === 'released') {
          throw new InvalidState(
            `The redemption of order ${orderRef} was released; redeem under a new order reference.`,
            {
              code: 'redemption_released',
              orderRef,
            },
          );
        }
        return { redemption: toRedemption(existing), created: false };
      }
      const taken = await tx.takeUse(discount.id);
      if (!taken) {
        const problem = discountProblem((await tx.findById(discount.id))!, null, new Date());
        throw discountError(
          problem ?? { code: 'discount_exhausted', message: `Discount code ${code} has been used up.` },
          code,
        );
      }
      if (customerId !== null && taken.per_customer_limit !== null) {
        const uses = await tx.countRedemptions(discount.id, customerId);
        if (uses > taken.per_customer_limit) {
          throw discountError(
            {
              code: 'discount_customer_limit',
              message: `Discount code ${code} was already used ${taken.per_customer_limit} times by this customer.`,
            },
            code,
          );
        }
      }
      const redemption = toRedemption((await tx.findRedemption(orderRef))!);
      await this.runtime.outbox.emit(txCtx, { type: 'DiscountRedeemed', data: redemption });
      return { redemption, created: true };
    });
  }

  /** Gives an order's use back, once: releasing again returns the released redemption unchanged. */
  async release(ctx: RequestContext, orderRef: string): Promise<Redemption> {
    authorize(ctx, REDEEMS, 'release discount redemptions');
    return this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      const discountId = await tx.releaseRedemption(orderRef);
      if (discountId !== null) await tx.returnUse(discountId);
      const row = await tx.findRedemption(orderRef);
      if (!row) {
        throw new NotFound(`There is no redemption for order ${orderRef}.`, {
          code: 'redemption_not_found',
          orderRef,
        });
      }
      const redemption = toRedemption(row);
      if (discountId !== null)
        await this.runtime.outbox.emit(txCtx, { type: 'DiscountReleased', data: redemption });
      return redemption;
    });
  }
}
