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

/** The JSON pointer of the first string (value or key) holding U+0000, or null. */
function nulPath(root: unknown): string | null {
  // A loop, not recursion: a body nested thousands deep must not overflow the stack.
  const pending: Visit[] = [{ value: root, key: '', parent: null }];
  while (pending.length) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      if (visit.value.includes('\u0000')) return pointerOf(visit);
    } else if (visit.value !== null && typeof visit.value === 'object') {
      for (const [key, value] of Object.entries(visit.value)) {
        const child = { value, key, parent: visit };
        if (key.includes('\u0000')) return pointerOf(child);
        pending.push(child);
      }
    }
  }
  return null;
}

type ValidationResult = ReturnType<FastifySchemaCompiler<object>>;

/**
 * Ajv validators for route schemas: query strings, params and headers are coerced from text,
 * bodies are taken as sent, unknown properties are refused, and U+0000 is refused everywhere.
 */
export function createValidatorCompiler() {
  const common: AjvOptions = { allErrors: true, strict: false, useDefaults: true, removeAdditional: false };
  // Query strings, params and headers are text on the wire: coerce them. Bodies are JSON: take them as sent.
  const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }): ValidationResult => {
    const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
    // PostgreSQL text and jsonb cannot hold U+0000: refused here, it is a 400 naming the field, not a database error.
    const check: ValidationResult = (data: unknown) => {
      const valid = validate(data) as boolean;
      const nul = valid ? nulPath(data) : null;
      check.errors =
        nul === null
          ? validate.errors
          : [
              {
                instancePath: nul,
                schemaPath: '',
                keyword: 'nul',
                params: {},
                message: 'must not contain U+0000',
              },
            ];
      return valid && nul === null;
    };
    return check;
  };
}
