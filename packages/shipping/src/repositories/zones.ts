import type { Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type { ShippingTables, ZoneRow } from '../tables.js';

/** All SQL of zones and their countries; queries join the context's open transaction. */
export class ZoneRepository {
  constructor(
    private readonly uow: UnitOfWork<ShippingTables>,
    private readonly schema: string,
  ) {}

  private q(ctx: RequestContext): Kysely<ShippingTables> {
    return this.uow.db(ctx).withSchema(this.schema);
  }

  async listZones(ctx: RequestContext): Promise<ZoneRow[]> {
    return this.q(ctx).selectFrom('zones').selectAll().orderBy('name').orderBy('id').execute();
  }

  async findZone(ctx: RequestContext, id: string): Promise<ZoneRow | null> {
    return (
      (await this.q(ctx).selectFrom('zones').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  /** The zone, locked until the transaction ends, so two updates of it run one after the other. */
  async lockZone(ctx: RequestContext, id: string): Promise<ZoneRow | null> {
    const row = await this.q(ctx)
      .selectFrom('zones')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row ?? null;
  }

  async hasZones(ctx: RequestContext): Promise<boolean> {
    return (await this.q(ctx).selectFrom('zones').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  /** Countries of the given zones, by zone, each list in alphabetical order. */
  async countriesOf(ctx: RequestContext, zoneIds: string[]): Promise<Map<string, string[]>> {
    const byZone = new Map<string, string[]>(zoneIds.map((id) => [id, []]));
    if (!zoneIds.length) return byZone;
    const rows = await this.q(ctx)
      .selectFrom('zone_countries')
      .select(['zone_id', 'country'])
      .where('zone_id', 'in', zoneIds)
      .orderBy('country')
      .execute();
    for (const row of rows) byZone.get(row.zone_id)?.push(row.country);
    return byZone;
  }

  /** Which of the countries another zone than `exceptZoneId` holds, with that zone. */
  async heldElsewhere(
    ctx: RequestContext,
    countries: string[],
    exceptZoneId?: string,
  ): Promise<Array<{ country: string; zoneId: string; zoneName: string }>> {
    if (!countries.length) return [];
    let query = this.q(ctx)
      .selectFrom('zone_countries as c')
      .innerJoin('zones as z', 'z.id', 'c.zone_id')
      .select(['c.country as country', 'z.id as zoneId', 'z.name as zoneName'])
      .where('c.country', 'in', countries);
    if (exceptZoneId) query = query.where('c.zone_id', '<>', exceptZoneId);
    return query.orderBy('c.country').execute();
  }

  async insertZone(ctx: RequestContext, zone: { id: string; name: string }): Promise<void> {
    await this.q(ctx).insertInto('zones').values(zone).execute();
  }

  async renameZone(ctx: RequestContext, id: string, name: string): Promise<void> {
    await this.q(ctx)
      .updateTable('zones')
      .set({ name, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async touchZone(ctx: RequestContext, id: string): Promise<void> {
    await this.q(ctx).updateTable('zones').set({ updated_at: new Date() }).where('id', '=', id).execute();
  }

  /** Makes the zone's countries exactly these: the list is replaced, not merged. */
  async replaceCountries(ctx: RequestContext, zoneId: string, countries: string[]): Promise<void> {
    await this.q(ctx).deleteFrom('zone_countries').where('zone_id', '=', zoneId).execute();
    if (countries.length) {
      await this.q(ctx)
        .insertInto('zone_countries')
        .values(countries.map((country) => ({ country, zone_id: zoneId })))
        .execute();
    }
  }

  /** Deletes the zone with its countries, methods and tiers; false when there was none. */
  async deleteZone(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.q(ctx).deleteFrom('zones').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Deletes every zone (and so every method and tier): the demo seed's reset. */
  async deleteAll(ctx: RequestContext): Promise<void> {
    await this.q(ctx).deleteFrom('zones').execute();
  }
}
