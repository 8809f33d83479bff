import { Id } from '@shopstack/kernel';
import { Type } from '@sinclair/typebox';

/** Shapes shared by several users resources (ids and timestamps come from the kernel). */

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** Surrounding spaces and letter case do not matter: the address is trimmed and lower-cased. */
export { Email } from '@shopstack/kernel';

/** The policy of a new password; a password that is the account's e-mail address is refused too. */
export const NewPassword = Type.String({
  minLength: 10,
  maxLength: 256,
  description: 'a password of 10 to 256 characters, not the e-mail address',
});

/** A password presented to sign in: checked against the stored hash, not against today's policy. */
export const PresentedPassword = Type.String({ minLength: 1, maxLength: 256 });

export const PersonName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '\\S',
  description: 'a name of up to 200 characters, not only spaces',
});

export { Phone } from '@shopstack/kernel';

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
export const StaffRole = Type.Union([Type.Literal('staff'), Type.Literal('admin')]);
