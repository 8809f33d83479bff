import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInput, fieldOfPointer, findText, unstorableText } from '@shopstack/kernel';

/**
 * Checks input that did not come through a route schema (in-process callers) against the same
 * TypeBox schema the routes use, so both paths enforce one set of rules; the field is named the way
 * the HTTP validator names it (`rates.0.price.amount`).
 */
export function assertInput<T extends TSchema>(schema: T, value: unknown): asserts value is Static<T> {
  const error = Value.Errors(schema, value).First();
  if (error) {
    const field = fieldOfPointer(error.path) || '(root)';
    throw new InvalidInput(`${field}: ${error.message}`, field);
  }
  const text = findText(value, unstorableText);
  if (text) {
    const field = fieldOfPointer(text.pointer) || '(root)';
    throw new InvalidInput(`${field}: ${text.message}`, field);
  }
}
