import { Type, type Static } from '@sinclair/typebox';
import { Account } from './account.js';
import { Email, NewPassword, PersonName, StaffRole } from './common.js';

/** Without a password, one is generated and answered once. */
export const CreateStaffInput = Type.Object(
  {
    email: Email,
    name: PersonName,
    role: Type.Optional(StaffRole),
    password: Type.Optional(NewPassword),
  },
  { additionalProperties: false },
);
export type CreateStaffInput = Static<typeof CreateStaffInput>;

export const CreatedStaff = Type.Object(
  {
    user: Account,
    generatedPassword: Type.Optional(
      Type.String({ description: 'The password generated for the account: shown once, never again' }),
    ),
  },
  { additionalProperties: false },
);
export type CreatedStaff = Static<typeof CreatedStaff>;
