import type { FastifySchemaCompiler } from 'fastify';
import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is published as CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function pointerOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.parent; at = at.parent) keys.push(at.key);
  return keys
    .reverse()
    .map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}

/** A text found by findText: where it is (a JSON pointer) and what is wrong with it. */
export interface TextFinding {
  pointer: string;
  message: string;
}

/**
 * The first string value or object key of a JSON value for which `check` returns a message, or null.
 * `check` is told whether the text is a key.
 */
export function findText(
  root: unknown,
  check: (text: string, isKey: boolean) => string | null,
): TextFinding | null {
  // A loop, not recursion: a body nested thousands deep must not overflow the stack.
  const pending: Visit[] = [{ value: root, key: '', parent: null }];
  while (pending.length) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      const message = check(visit.value, false);
      if (message !== null) return { pointer: pointerOf(visit), message };
    } else if (visit.value !== null && typeof visit.value === 'object') {
      for (const [key, value] of Object.entries(visit.value)) {
        const child = { value, key, parent: visit };
        const message = check(key, true);
        if (message !== null) return { pointer: pointerOf(child), message };
        pending.push(child);
      }
    }
  }
  return null;
}

/** A JSON pointer as problems name fields: `/variants/0/sku` -> `variants.0.sku`. */
export function fieldOfPointer(pointer: string): string {
  return pointer.replace(/^\//, '').replaceAll('/', '.');
}

// With the u flag a well-formed surrogate pair is one code point, so this matches only a lone surrogate.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why PostgreSQL cannot store a text as it was sent, or null. U+0000 cannot be stored at all; a lone
 * UTF-16 surrogate would silently turn into U+FFFD.
 */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain U+0000';
  if (LONE_SURROGATE.test(text))
    return 'must not contain a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair)';
  return null;
}

const DECIMAL_INTEGER = /^-?\d+$/;
const DECIMAL_NUMBER = /^-?\d+(?:\.\d+)?$/;

interface SchemaNode {
  type?: string | string[];
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
}

function typesOf(schema: SchemaNode | undefined): string[] {
  if (!schema) return [];
  const own = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const items = own.includes('array') ? typesOf(schema.items) : [];
  return [...own, ...items, ...(schema.anyOf ?? []).flatMap(typesOf)];
}

/**
 * The form each numeric property of a query, params or headers schema must be written in. Ajv
 * coerces text with Number(), which also reads 0x10, 1e1, " 16" and "+16": only decimal digits
 * (and a fraction, for numbers) stand for a number on the wire.
 */
function decimalForms(schema: SchemaNode): Array<[string, RegExp, string]> {
  return Object.entries(schema.properties ?? {}).flatMap(
    ([name, property]): Array<[string, RegExp, string]> => {
      const types = typesOf(property);
      if (types.includes('string')) return [];
      if (types.includes('number'))
        return [[name, DECIMAL_NUMBER, 'must be a number written in decimal digits']];
      if (types.includes('integer'))
        return [[name, DECIMAL_INTEGER, 'must be an integer written in decimal digits']];
      return [];
    },
  );
}

type AjvError = NonNullable<ValidationResult['errors']>[number];

/** What a record says of a key none of its patterns takes (the HTTP validator and in-process checks alike). */
export function notAnAllowedName(patternProperties: object): string {
  return `is not an allowed name: names must match ${Object.keys(patternProperties).join(' or ')}`;
}

/** Errors Ajv found, with refused names of a record (patternProperties) said as such rather than "is not allowed". */
function explained(errors: AjvError[]): AjvError[] {
  return errors.map((error) => {
    const { parentSchema } = error as AjvError & { parentSchema?: { patternProperties?: object } };
    const patterns = parentSchema?.patternProperties;
    if (error.keyword !== 'additionalProperties' || !patterns) return error;
    return {
      ...error,
      keyword: 'propertyName',
      message: notAnAllowedName(patterns),
    };
  });
}

type ValidationResult = ReturnType<FastifySchemaCompiler<object>>;

/**
 * Ajv validators for route schemas: query strings, params and headers are coerced from text (numbers
 * only from decimal digits), bodies are taken as sent, unknown properties are refused, and text
 * PostgreSQL cannot store as sent (U+0000, lone surrogates) is refused everywhere. A body read as
 * bytes (a Buffer) is left to its route.
 */
export function createValidatorCompiler() {
  // verbose: errors carry their schema, so a refused record key can be told from an unknown property.
  const common: AjvOptions = {
    allErrors: true,
    strict: false,
    useDefaults: true,
    removeAdditional: false,
    verbose: true,
  };
  // Query strings, params and headers are text on the wire: coerce them. Bodies are JSON: take them as sent.
  const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }): ValidationResult => {
    const isBody = httpPart === 'body';
    const validate = (isBody ? bodyAjv : textAjv).compile(schema);
    const decimals = isBody ? [] : decimalForms(schema as SchemaNode);
    // PostgreSQL text and jsonb cannot hold U+0000 nor a lone surrogate: refused here, as a 400 naming
    // the field, rather than failing in the database or being stored as U+FFFD.
    const check: ValidationResult = (data: unknown) => {
      // Bytes a route's content-type parser read as they came (an uploaded image) are no JSON to
      // check: their route inspects them; walking a 15 MB buffer byte by byte would only cost time.
      if (isBody && Buffer.isBuffer(data)) {
        check.errors = null;
        return true;
      }
      const notDecimal = decimals.length ? firstNotDecimal(data, decimals) : null;
      if (notDecimal) {
        check.errors = [notDecimal];
        return false;
      }
      const valid = validate(data) as boolean;
      const text = valid ? findText(data, unstorableText) : null;
      check.errors =
        text === null
          ? validate.errors && explained(validate.errors)
          : [
              {
                instancePath: text.pointer,
                schemaPath: '',
                keyword: 'text',
                params: {},
                message: text.message,
              },
            ];
      return valid && text === null;
    };
    return check;
  };
}

/** The first numeric parameter written other than in decimal digits, as an Ajv error; checked before Ajv coerces it. */
function firstNotDecimal(data: unknown, forms: Array<[string, RegExp, string]>): AjvError | null {
  if (data === null || typeof data !== 'object') return null;
  for (const [name, form, message] of forms) {
    const raw = (data as Record<string, unknown>)[name];
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'string' && !form.test(value)) {
        return { instancePath: `/${name}`, schemaPath: '', keyword: 'type', params: {}, message };
      }
    }
  }
  return null;
}
