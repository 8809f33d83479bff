import { errorCodes, type FastifyRequest } from 'fastify';
import { InvalidParameter } from './errors.js';
import { fieldOfPointer, findText } from './validation.js';

// fatal: a byte sequence that is not UTF-8 is an error, not a U+FFFD; ignoreBOM: a BOM stays, as JSON.parse refuses one.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Keys that serve prototype pollution and never data: a JSON body holding one is refused. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

/** The offset of the first byte of a body that is not part of a UTF-8 character. */
function firstInvalidByte(raw: Buffer): number {
  // A valid prefix decodes and encodes back to the very same bytes: the first difference is where UTF-8 stops.
  const again = Buffer.from(raw.toString('utf8'), 'utf8');
  const end = Math.min(raw.length, again.length);
  let at = 0;
  while (at < end && raw[at] === again[at]) at++;
  return at;
}

function lineAt(raw: Buffer, offset: number): number {
  let line = 1;
  for (let at = raw.indexOf(0x0a); at !== -1 && at < offset; at = raw.indexOf(0x0a, at + 1)) line++;
  return line;
}

/**
 * The text of a body that must be UTF-8 (a CSV file, say). A byte sequence that is not UTF-8 would
 * silently become U+FFFD: it is refused with a 400 naming the line it is on.
 */
export function utf8Body(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    const byte = firstInvalidByte(raw);
    const line = lineAt(raw, byte);
    throw new InvalidParameter(
      'body',
      `is not valid UTF-8: line ${line} holds bytes that encode no character (at byte ${byte})`,
      'body',
      { code: 'invalid_utf8', line, byte },
    );
  }
}

/** The refusal of a JSON body that is not UTF-8, naming the field whose text holds the bad bytes when it can. */
function notUtf8(raw: Buffer): InvalidParameter {
  let lenient: unknown;
  try {
    lenient = JSON.parse(raw.toString('utf8'));
  } catch {
    lenient = undefined;
  }
  const found = findText(lenient, (text) => (text.includes('\uFFFD') ? 'not UTF-8' : null));
  const field = (found && fieldOfPointer(found.pointer)) || 'body';
  return new InvalidParameter(field, 'is not valid UTF-8: it holds bytes that encode no character', 'body', {
    code: 'invalid_utf8',
  });
}

/**
 * Parses a JSON body. Beyond JSON.parse: the bytes must be UTF-8 (400 `invalid_utf8` naming the
 * field), and the keys __proto__ and constructor are refused wherever they are (400 `forbidden_key`
 * naming the key), since they serve prototype pollution and never data.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY();
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    throw notUtf8(raw);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  // Only a body that names one (maybe through \u escapes) needs the walk.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    const found = findText(value, (key, isKey) => (isKey && FORBIDDEN_KEYS.has(key) ? key : null));
    if (found) {
      throw new InvalidParameter(
        fieldOfPointer(found.pointer),
        `is a key JSON bodies may not hold (${[...FORBIDDEN_KEYS].join(' and ')} are refused)`,
        'body',
        { code: 'forbidden_key', key: found.message },
      );
    }
  }
  return value;
}

/** Fastify content type parser for application/json (registered with parseAs: 'buffer'); see parseJsonBody. */
export function jsonBodyParser(
  _request: FastifyRequest,
  body: Buffer,
  done: (err: Error | null, body?: unknown) => void,
): void {
  let value: unknown;
  try {
    value = parseJsonBody(body);
  } catch (err) {
    done(err as Error, undefined);
    return;
  }
  done(null, value);
}
