import { Id } from '@shopstack/kernel';
import { Type } from '@sinclair/typebox';

/** Shapes shared by several users resources (ids and timestamps come from the kernel). */

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** Surrounding spaces and letter case do not matter: the address is trimmed and lower-cased. */
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
  description: 'an e-mail address such as ada@example.com',
});

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

export const Phone = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^\\+?[0-9][0-9 ().-]*$',
  description: 'a phone number: digits, spaces and ( ) . -, optionally starting with +',
});

export const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
export const StaffRole = Type.Union([Type.Literal('staff'), Type.Literal('admin')]);
