import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInput } from '@shopstack/kernel';

/** A schema violation found outside the HTTP layer, with the field written the way problems name fields. */
export interface InputIssue {
  field: string;
  message: string;
}

/** Every violation of `schema` by `value`; fields are dotted paths such as `variants.0.price`. */
export function inputIssues(schema: TSchema, value: unknown): InputIssue[] {
  return [...Value.Errors(schema, value)].map((error) => ({
    field: error.path.replace(/^\//, '').replaceAll('/', '.') || '(root)',
    message: error.message,
  }));
}

/**
 * Checks input that did not come through a route schema (in-process callers, import rows) against
 * the same TypeBox schema the routes use, so both paths enforce one set of rules.
 */
export function assertInput<T extends TSchema>(
  schema: T,
  value: unknown,
  prefix = '',
): asserts value is Static<T> {
  const [first] = inputIssues(schema, value);
  if (!first) return;
  const field = prefix ? (first.field === '(root)' ? prefix : `${prefix}.${first.field}`) : first.field;
  throw new InvalidInput(`${field}: ${first.message}`, field);
}
