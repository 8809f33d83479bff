import { DomainError } from '@shopstack/kernel';

/** A compensation of something never done (no reservation, no redemption) has nothing to undo. */
export async function ignoreMissing<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not-found') return null;
    throw err;
  }
}
