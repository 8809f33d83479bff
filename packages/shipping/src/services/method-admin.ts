import {
  assertInput,
  assertStoreCurrency,
  authorize,
  NotFound,
  STAFF,
  newId,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { MethodRepository, type MethodChanges, type RateChanges } from '../repositories/methods.js';
import { ZoneRepository } from '../repositories/zones.js';
import {
  CreateMethodInput,
  RateTierInput,
  UpdateMethodInput,
  UpdateRateInput,
  type ShippingMethod,
  type ShippingRateTier,
} from '../schemas/methods.js';
import type { MethodRow, ShippingTables } from '../tables.js';
import { shippingChanged } from './quotes.js';
import { assertDistinctTiers, assertEstimate, conflictFromViolation } from './rules.js';
import { toMethod, toRateTier } from './views.js';

const ACTION = 'manage shipping';

export function zoneNotFound(id: string): NotFound {
  return new NotFound(`No shipping zone ${id}.`, { code: 'zone_not_found' });
}

function methodNotFound(id: string): NotFound {
  return new NotFound(`No shipping method ${id}.`, { code: 'method_not_found' });
}

function rateNotFound(id: string): NotFound {
  return new NotFound(`No rate tier ${id}.`, { code: 'rate_not_found' });
}

/** The staff views of methods, each with its tiers. */
export async function methodViews(
  repo: MethodRepository,
  ctx: RequestContext,
  rows: MethodRow[],
): Promise<ShippingMethod[]> {
  const rates = await repo.ratesOf(
    ctx,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toMethod(
      row,
      rates.filter((rate) => rate.method_id === row.id),
    ),
  );
}

/**
 * Staff writes to the methods of a zone and their weight tiers. Each write is one transaction;
 * tiers that would overlap and a repeated method code are refused by constraints, so two staff
 * members racing cannot get past the checks.
 */
export class MethodAdmin {
  private readonly methods: MethodRepository;
  private readonly zones: ZoneRepository;

  constructor(private readonly runtime: ServiceRuntime<ShippingTables>) {
    this.methods = new MethodRepository(runtime.uow, runtime.schema);
    this.zones = new ZoneRepository(runtime.uow, runtime.schema);
  }

  private get currency(): string {
    return this.runtime.store.currency;
  }

  /** The methods of a zone, by code, with their tiers. */
  async listMethods(ctx: RequestContext, zoneId: string): Promise<ShippingMethod[]> {
    authorize(ctx, STAFF, ACTION);
    if (!(await this.zones.findZone(ctx, zoneId))) throw zoneNotFound(zoneId);
    return methodViews(this.methods, ctx, await this.methods.methodsOf(ctx, [zoneId]));
  }

  /** One method with its tiers. */
  async getMethod(ctx: RequestContext, id: string): Promise<ShippingMethod> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.methods.findMethod(ctx, id);
    if (!row) throw methodNotFound(id);
    return toMethod(row, await this.methods.ratesOf(ctx, [id]));
  }

  /** Adds a method to a zone, with its tiers if given, in one transaction. */
  async createMethod(ctx: RequestContext, zoneId: string, input: CreateMethodInput): Promise<ShippingMethod> {
    authorize(ctx, STAFF, ACTION);
    assertInput(CreateMethodInput, input);
    assertEstimate(input.estimatedDays, 'estimatedDays');
    assertStoreCurrency(input.freeShippingThreshold, this.currency, 'freeShippingThreshold');
    const tiers = input.rates ?? [];
    tiers.forEach((tier, i) => assertStoreCurrency(tier.price, this.currency, `rates.${i}.price`));
    assertDistinctTiers(tiers);
    const id = newId();
    try {
      await this.runtime.uow.transaction(ctx, async (tx) => {
        // Locked, so the zone cannot be deleted between this check and the insert.
        if (!(await this.zones.lockZone(tx, zoneId))) throw zoneNotFound(zoneId);
        await this.methods.insertMethod(tx, {
          id,
          zone_id: zoneId,
          code: input.code,
          name: input.name,
          min_days: input.estimatedDays?.minDays ?? null,
          max_days: input.estimatedDays?.maxDays ?? null,
          free_threshold: input.freeShippingThreshold?.amount ?? null,
          currency: this.currency,
        });
        await this.methods.insertRates(
          tx,
          tiers.map((tier) => ({
            id: newId(),
            method_id: id,
            max_weight_grams: tier.maxWeightGrams,
            price: tier.price.amount,
          })),
        );
      });
    } catch (err) {
      throw conflictFromViolation(err);
    }
    shippingChanged(this.runtime);
    ctx.log.info({ zoneId, methodId: id, code: input.code }, 'shipping method created');
    return this.getMethod(ctx, id);
  }

  /** Changes a method's own fields; null clears the estimate or the free-shipping threshold. */
  async updateMethod(ctx: RequestContext, id: string, input: UpdateMethodInput): Promise<ShippingMethod> {
    authorize(ctx, STAFF, ACTION);
    assertInput(UpdateMethodInput, input);
    assertEstimate(input.estimatedDays, 'estimatedDays');
    assertStoreCurrency(input.freeShippingThreshold, this.currency, 'freeShippingThreshold');
    const changes: MethodChanges = {};
    if (input.code !== undefined) changes.code = input.code;
    if (input.name !== undefined) changes.name = input.name;
    if (input.estimatedDays !== undefined) {
      changes.min_days = input.estimatedDays?.minDays ?? null;
      changes.max_days = input.estimatedDays?.maxDays ?? null;
    }
    if (input.freeShippingThreshold !== undefined) {
      changes.free_threshold = input.freeShippingThreshold?.amount ?? null;
    }
    if (!(await this.methods.findMethod(ctx, id))) throw methodNotFound(id);
    try {
      await this.methods.updateMethod(ctx, id, changes);
    } catch (err) {
      throw conflictFromViolation(err);
    }
    shippingChanged(this.runtime);
    return this.getMethod(ctx, id);
  }

  /** Deletes a method with its tiers. */
  async deleteMethod(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, STAFF, ACTION);
    if (!(await this.methods.deleteMethod(ctx, id))) throw methodNotFound(id);
    shippingChanged(this.runtime);
    ctx.log.info({ methodId: id }, 'shipping method deleted');
  }

  /** The tiers of a method, lightest first. */
  async listRates(ctx: RequestContext, methodId: string): Promise<ShippingRateTier[]> {
    return (await this.getMethod(ctx, methodId)).rates;
  }

  /** Adds a weight tier to a method; one that repeats another's maximum is refused. */
  async addRate(ctx: RequestContext, methodId: string, input: RateTierInput): Promise<ShippingRateTier> {
    authorize(ctx, STAFF, ACTION);
    assertInput(RateTierInput, input);
    assertStoreCurrency(input.price, this.currency, 'price');
    const method = await this.methods.findMethod(ctx, methodId);
    if (!method) throw methodNotFound(methodId);
    const id = newId();
    try {
      await this.methods.insertRates(ctx, [
        { id, method_id: methodId, max_weight_grams: input.maxWeightGrams, price: input.price.amount },
      ]);
    } catch (err) {
      throw this.rateWriteError(err, methodId, input.maxWeightGrams);
    }
    shippingChanged(this.runtime);
    return this.getRate(ctx, id);
  }

  /** Changes a tier's maximum weight or price. */
  async updateRate(ctx: RequestContext, id: string, input: UpdateRateInput): Promise<ShippingRateTier> {
    authorize(ctx, STAFF, ACTION);
    assertInput(UpdateRateInput, input);
    assertStoreCurrency(input.price, this.currency, 'price');
    const rate = await this.methods.findRate(ctx, id);
    if (!rate) throw rateNotFound(id);
    const changes: RateChanges = {};
    if (input.maxWeightGrams !== undefined) changes.max_weight_grams = input.maxWeightGrams;
    if (input.price !== undefined) changes.price = input.price.amount;
    try {
      await this.methods.updateRate(ctx, id, changes);
    } catch (err) {
      throw this.rateWriteError(err, rate.method_id, input.maxWeightGrams ?? null);
    }
    shippingChanged(this.runtime);
    return this.getRate(ctx, id);
  }

  /** Deletes a tier: parcels it priced fall to the next heavier tier, or get no price from the method. */
  async deleteRate(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, STAFF, ACTION);
    if (!(await this.methods.deleteRate(ctx, id))) throw rateNotFound(id);
    shippingChanged(this.runtime);
  }

  private async getRate(ctx: RequestContext, id: string): Promise<ShippingRateTier> {
    const rate = await this.methods.findRate(ctx, id);
    if (!rate) throw rateNotFound(id);
    return toRateTier(rate, rate.currency);
  }

  /** A tier write refused by the database: an overlap, or the method deleted meanwhile. */
  private rateWriteError(err: unknown, methodId: string, maxWeightGrams: number | null): unknown {
    const e = err as { code?: unknown } | null;
    if (e?.code === '23503') return methodNotFound(methodId);
    return conflictFromViolation(err, { maxWeightGrams });
  }
}
