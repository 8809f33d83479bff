import { Type, type Static } from '@sinclair/typebox';
import { Country, Id } from './common.js';
import { ShippingMethod } from './methods.js';

/*
 * Staff inputs and views of zones. A zone's countries are given whole: an update replaces the list.
 * Ids and timestamps are the server's, so a body carrying one is refused as an unknown property.
 */

const ZoneName = Type.String({ minLength: 1, maxLength: 100 });
const Countries = Type.Array(Country, {
  maxItems: 249,
  uniqueItems: true,
  description: 'ISO 3166-1 alpha-2 codes; a country belongs to one zone at most',
});

export const CreateZoneInput = Type.Object(
  { name: ZoneName, countries: Countries },
  { additionalProperties: false },
);
export type CreateZoneInput = Static<typeof CreateZoneInput>;

export const UpdateZoneInput = Type.Partial(CreateZoneInput, {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateZoneInput = Static<typeof UpdateZoneInput>;

export const ZoneParams = Type.Object({ zoneId: Id }, { additionalProperties: false });

export const ShippingZone = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    countries: Type.Array(Type.String(), { description: 'In alphabetical order' }),
    methods: Type.Array(ShippingMethod, { description: 'By code' }),
  },
  { additionalProperties: false },
);
export type ShippingZone = Static<typeof ShippingZone>;

export const ShippingZoneList = Type.Object(
  { zones: Type.Array(ShippingZone, { description: 'By name' }) },
  { additionalProperties: false },
);
export type ShippingZoneList = Static<typeof ShippingZoneList>;
