import {
  assertInput,
  authorize,
  Conflict,
  STAFF,
  newId,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { MethodRepository } from '../repositories/methods.js';
import { ZoneRepository } from '../repositories/zones.js';
import { CreateZoneInput, UpdateZoneInput, type ShippingZone } from '../schemas/zones.js';
import type { ShippingTables, ZoneRow } from '../tables.js';
import { methodViews, zoneNotFound } from './method-admin.js';
import { shippingChanged } from './quotes.js';
import { assertKnownCountry, conflictFromViolation } from './rules.js';
import { toZone } from './views.js';

const ACTION = 'manage shipping';

/**
 * Staff writes to shipping zones. A country belongs to one zone at most: a zone that claims a
 * country another zone holds is refused, naming both (and the primary key of zone_countries refuses
 * it too, should two writes race).
 */
export class ZoneAdmin {
  private readonly zones: ZoneRepository;
  private readonly methods: MethodRepository;

  constructor(private readonly runtime: ServiceRuntime<ShippingTables>) {
    this.zones = new ZoneRepository(runtime.uow, runtime.schema);
    this.methods = new MethodRepository(runtime.uow, runtime.schema);
  }

  /** Every zone, by name, with its countries and its methods' tiers: the whole shipping setup. */
  async listZones(ctx: RequestContext): Promise<ShippingZone[]> {
    authorize(ctx, STAFF, ACTION);
    return this.views(ctx, await this.zones.listZones(ctx));
  }

  /** One zone with its countries and methods. */
  async getZone(ctx: RequestContext, id: string): Promise<ShippingZone> {
    authorize(ctx, STAFF, ACTION);
    const row = await this.zones.findZone(ctx, id);
    if (!row) throw zoneNotFound(id);
    const [zone] = await this.views(ctx, [row]);
    return zone!;
  }

  /** Creates a zone with its countries. */
  async createZone(ctx: RequestContext, input: CreateZoneInput): Promise<ShippingZone> {
    authorize(ctx, STAFF, ACTION);
    assertInput(CreateZoneInput, input);
    input.countries.forEach((country, i) => assertKnownCountry(country, `countries.${i}`));
    const id = newId();
    await this.write(ctx, async (tx) => {
      await this.assertCountriesFree(tx, input.countries);
      await this.zones.insertZone(tx, { id, name: input.name });
      await this.zones.replaceCountries(tx, id, input.countries);
    });
    ctx.log.info({ zoneId: id, countries: input.countries.length }, 'shipping zone created');
    return this.getZone(ctx, id);
  }

  /** Renames a zone or replaces its countries (the list given becomes the zone's whole list). */
  async updateZone(ctx: RequestContext, id: string, input: UpdateZoneInput): Promise<ShippingZone> {
    authorize(ctx, STAFF, ACTION);
    assertInput(UpdateZoneInput, input);
    input.countries?.forEach((country, i) => assertKnownCountry(country, `countries.${i}`));
    await this.write(ctx, async (tx) => {
      if (!(await this.zones.lockZone(tx, id))) throw zoneNotFound(id);
      if (input.name !== undefined) await this.zones.renameZone(tx, id, input.name);
      if (input.countries !== undefined) {
        await this.assertCountriesFree(tx, input.countries, id);
        await this.zones.replaceCountries(tx, id, input.countries);
        await this.zones.touchZone(tx, id);
      }
    });
    return this.getZone(ctx, id);
  }

  /** Deletes a zone with its methods and tiers: its countries are no longer shipped to. */
  async deleteZone(ctx: RequestContext, id: string): Promise<void> {
    authorize(ctx, STAFF, ACTION);
    if (!(await this.zones.deleteZone(ctx, id))) throw zoneNotFound(id);
    shippingChanged(this.runtime);
    ctx.log.info({ zoneId: id }, 'shipping zone deleted');
  }

  private async write(ctx: RequestContext, work: (tx: RequestContext) => Promise<void>): Promise<void> {
    try {
      await this.runtime.uow.transaction(ctx, work);
    } catch (err) {
      throw conflictFromViolation(err);
    }
    shippingChanged(this.runtime);
  }

  private async assertCountriesFree(
    ctx: RequestContext,
    countries: string[],
    zoneId?: string,
  ): Promise<void> {
    const held = await this.zones.heldElsewhere(ctx, countries, zoneId);
    if (!held.length) return;
    const names = held.map((h) => `${h.country} (${h.zoneName})`).join(', ');
    throw new Conflict(`A country belongs to one zone at most; already in another zone: ${names}.`, {
      code: 'country_in_another_zone',
      countries: held.map((h) => h.country),
      zoneId: held[0]!.zoneId,
    });
  }

  private async views(ctx: RequestContext, rows: ZoneRow[]): Promise<ShippingZone[]> {
    const ids = rows.map((row) => row.id);
    const countries = await this.zones.countriesOf(ctx, ids);
    const methods = await methodViews(this.methods, ctx, await this.methods.methodsOf(ctx, ids));
    return rows.map((row) =>
      toZone(
        row,
        countries.get(row.id) ?? [],
        methods.filter((method) => method.zoneId === row.id),
      ),
    );
  }
}
