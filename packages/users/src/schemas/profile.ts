import { Type, type Static } from '@sinclair/typebox';
import { Id, Nullable, postalAddressFields, Timestamp } from '@shopstack/kernel';
import { Account } from './account.js';
import { NewPassword, PersonName, Phone, PresentedPassword } from './common.js';

export const UpdateProfileInput = Type.Object(
  { name: Type.Optional(PersonName), phone: Type.Optional(Nullable(Phone)) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProfileInput = Static<typeof UpdateProfileInput>;

const addressFields = {
  label: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
  ...postalAddressFields,
  isDefault: Type.Optional(Type.Boolean()),
};

export const AddressInput = Type.Object(addressFields, { additionalProperties: false });
export type AddressInput = Static<typeof AddressInput>;

export const UpdateAddressInput = Type.Partial(Type.Object(addressFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAddressInput = Static<typeof UpdateAddressInput>;

export const Address = Type.Object(
  {
    id: Id,
    label: Nullable(Type.String()),
    recipient: Type.String(),
    line1: Type.String(),
    line2: Nullable(Type.String()),
    city: Type.String(),
    postalCode: Type.String(),
    region: Nullable(Type.String()),
    country: Type.String(),
    phone: Nullable(Type.String()),
    isDefault: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type Address = Static<typeof Address>;

export const AddressList = Type.Object({ items: Type.Array(Address) }, { additionalProperties: false });

/** A customer as staff and other services (orders) see them: the account and its address book. */
export const Customer = Type.Object(
  { ...Account.properties, addresses: Type.Array(Address) },
  { additionalProperties: false },
);
export type Customer = Static<typeof Customer>;

export const CustomerListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Part of the name or e-mail address' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);
export type CustomerListQuery = Static<typeof CustomerListQuery>;

/** A page of customers, newest first. */
export const CustomerList = Type.Object(
  { items: Type.Array(Account), nextCursor: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type CustomerList = Static<typeof CustomerList>;

/** What is kept of one sign-in (a refresh token family), for the holder's own eyes. */
export const Session = Type.Object(
  {
    id: Id,
    createdAt: Timestamp,
    lastUsedAt: Timestamp,
    expiresAt: Timestamp,
    revokedAt: Nullable(Timestamp),
    revokedReason: Nullable(Type.String()),
    userAgent: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type Session = Static<typeof Session>;

/** Everything the service holds about a person (GDPR art. 15 and 20), without secrets. */
export const DataExport = Type.Object(
  {
    exportedAt: Timestamp,
    account: Account,
    addresses: Type.Array(Address),
    sessions: Type.Array(Session),
  },
  { additionalProperties: false },
);
export type DataExport = Static<typeof DataExport>;

export const ChangePasswordInput = Type.Object(
  { currentPassword: PresentedPassword, newPassword: NewPassword },
  { additionalProperties: false },
);
export type ChangePasswordInput = Static<typeof ChangePasswordInput>;
