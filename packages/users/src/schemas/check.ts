import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInput, fieldOfPointer, findText, unstorableText } from '@shopstack/kernel';

/**
 * Checks input that did not come through a route schema (in-process callers, the CLI) against the
 * same TypeBox schema the routes use, so both paths enforce one set of rules.
 */
export function assertInput<T extends TSchema>(schema: T, value: unknown): asserts value is Static<T> {
  const first = Value.Errors(schema, value).First();
  if (first) {
    const field = fieldOfPointer(first.path) || '(root)';
    const message =
      typeof first.schema.description === 'string' ? `must be ${first.schema.description}` : first.message;
    throw new InvalidInput(`${field}: ${message}`, field);
  }
  const text = findText(value, unstorableText);
  if (text) {
    const field = fieldOfPointer(text.pointer) || '(root)';
    throw new InvalidInput(`${field}: ${text.message}`, field);
  }
}
