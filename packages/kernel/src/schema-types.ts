import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { BEARER_SECURITY_SCHEME } from './route-conventions.js';

/*
 * TypeBox primitives every service's schemas share, so that an id, an amount or a country is
 * written, checked and documented one way in the whole API. Shapes one service alone owns stay in it.
 */

/** An id of a record (UUIDv7 in practice, or a seeded name): letters, digits, _ or -. */
export const Id = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'an id: letters, digits, _ or -',
});

/** A stock-keeping unit, as the catalogue gives it to each variant and the cart refers to it. */
export const Sku = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9._/-]+$',
  description: 'a SKU: letters, digits, and . _ / - (e.g. TEE-RED-M)',
});

/**
 * The reference of an order (an order id or checkout id) that stock is reserved or a discount
 * redeemed for: the idempotency key of those operations, described for the place it is used in.
 */
export const orderRefAs = (description: string) =>
  Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$', description });

export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'an ISO 4217 currency code such as EUR',
});

/** An amount of money in the currency's minor units (cents for EUR). */
export const MinorUnits = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

/** An amount of money, described for the place it is used in. */
export const moneyAs = (description: string) =>
  Type.Object({ amount: MinorUnits, currency: Currency }, { additionalProperties: false, description });

export const Money = moneyAs('Integer minor units plus an ISO 4217 currency');
export type Money = Static<typeof Money>;

export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'an ISO 3166-1 alpha-2 country code such as DE',
});

/** An RFC 3339 date and time, e.g. 2025-01-31T12:00:00.000Z. */
export const Timestamp = Type.String({ format: 'date-time' });

/** `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The OpenAPI security requirement of routes that read a bearer token (staff, customers, services). */
export const bearerSecurity = [{ [BEARER_SECURITY_SCHEME]: [] as string[] }];

/** An e-mail address; surrounding spaces and letter case do not matter (services trim and lower-case it). */
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
  description: 'an e-mail address such as ada@example.com',
});

export const Phone = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^\\+?[0-9][0-9 ().-]*$',
  description: 'a phone number: digits, spaces and ( ) . -, optionally starting with +',
});

const addressLine = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** The fields of a postal address, as a customer's address book and an order's shipping address hold them. */
export const postalAddressFields = {
  recipient: addressLine(200),
  line1: addressLine(200),
  line2: Type.Optional(Nullable(addressLine(200))),
  city: addressLine(100),
  postalCode: Type.String({
    minLength: 1,
    maxLength: 20,
    pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*$',
    description: 'a postal code: letters, digits, spaces and -',
  }),
  region: Type.Optional(Nullable(addressLine(100))),
  country: CountryCode,
  phone: Type.Optional(Nullable(Phone)),
};
