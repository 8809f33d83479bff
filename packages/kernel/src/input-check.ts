import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { InvalidInput } from './errors.js';
import { fieldOfPointer, findText, notAnAllowedName, unstorableText } from './validation.js';

/** A schema violation found outside the HTTP layer, with the field written the way problems name fields. */
export interface InputIssue {
  field: string;
  message: string;
}

/**
 * The violation that explains an error best. A union ("Expected union value") is explained by the
 * one branch that fits the value's kind, e.g. the string branch of a nullable slug, with that
 * branch's own path (`compareAtPrice.amount` rather than `compareAtPrice`).
 */
function explained(error: ValueError): { path: string; message: string } {
  const schema = error.schema as TSchema;
  if (error.type === ValueErrorType.Union) {
    const branches = (schema.anyOf ?? []) as TSchema[];
    if (branches.length && branches.every((branch) => branch.const !== undefined)) {
      return {
        path: error.path,
        message: `must be one of ${branches.map((b) => String(b.const)).join(', ')}`,
      };
    }
    const firsts = (error.errors ?? [])
      .map((branch) => branch.First())
      .filter(
        (first): first is ValueError => first !== undefined && (first.schema as TSchema).type !== 'null',
      );
    if (firsts.length === 1) return explained(firsts[0]!);
  }
  if (error.type === ValueErrorType.StringPattern && typeof schema.description === 'string') {
    return { path: error.path, message: `must be ${schema.description}` };
  }
  if (error.type === ValueErrorType.ObjectAdditionalProperties && schema.patternProperties) {
    return { path: error.path, message: notAnAllowedName(schema.patternProperties as object) };
  }
  return { path: error.path, message: error.message };
}

const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The schema compiled to a checking function, once per schema. */
function checkerOf(schema: TSchema): TypeCheck<TSchema> {
  let checker = checkers.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    checkers.set(schema, checker);
  }
  return checker;
}

/**
 * Every violation of `schema` by `value`, or else the first text PostgreSQL cannot store as given
 * (U+0000, a lone surrogate), as the HTTP validator refuses it; fields are dotted paths such as `variants.0.price`.
 */
export function inputIssues(schema: TSchema, value: unknown): InputIssue[] {
  // The compiled check is fast; only a value that fails it is walked again for its errors.
  const issues = (checkerOf(schema).Check(value) ? [] : [...Value.Errors(schema, value)]).map((error) => {
    const { path, message } = explained(error);
    return { field: fieldOfPointer(path) || '(root)', message };
  });
  if (issues.length) return issues;
  const text = findText(value, unstorableText);
  return text ? [{ field: fieldOfPointer(text.pointer) || '(root)', message: text.message }] : [];
}

/**
 * Checks input that did not come through a route schema (in-process callers, import rows, the CLI)
 * against the same TypeBox schema the routes use, so both paths enforce one set of rules; `prefix`
 * names where the value sits in a larger input (`rows.3`).
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
