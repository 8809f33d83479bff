import { uuidv7 } from 'uuidv7';

/** A new opaque, time-ordered identifier (UUIDv7). */
export function newId(): string {
  return uuidv7();
}
