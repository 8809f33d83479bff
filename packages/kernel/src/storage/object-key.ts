/** One segment of a key: letters, digits, dots, dashes and underscores, not starting with a dot. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;

/** A key the object storage refuses: a programming error of the caller, never a shopper's input. */
export class InvalidObjectKey extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid object key ${JSON.stringify(key.slice(0, 100))}: ${reason}`);
    this.name = 'InvalidObjectKey';
  }
}

/**
 * Refuses a key that could leave its area or mean different things to the two backends: it must be
 * `/`-separated segments of letters, digits, `.`, `-` and `_`, none empty and none starting with a
 * dot (so no `..`, no hidden files), without a leading or trailing `/`, at most 1024 characters.
 */
export function assertObjectKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKey(String(key), 'it is empty');
  if (key.length > MAX_KEY_LENGTH)
    throw new InvalidObjectKey(key, `it is longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/')) throw new InvalidObjectKey(key, 'it starts with /');
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new InvalidObjectKey(
        key,
        segment === '' || segment.startsWith('.')
          ? 'a segment is empty or starts with a dot (.., hidden names)'
          : 'a segment holds a character other than letters, digits, ., - and _',
      );
    }
  }
}

/** Refuses a listing prefix that no valid key could start with in the same way (`..`, a leading `/`). */
export function assertObjectPrefix(prefix: string): void {
  if (prefix === '') return;
  assertObjectKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}
