import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { InvalidInput } from '@shopstack/kernel';

// The package's Algorithm is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane. */
export const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password for storage (a PHC string carrying its salt and parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** Whether a password matches a stored hash; a malformed hash matches nothing. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other parameters than today's (it is replaced at the next login). */
export function needsRehash(stored: string): boolean {
  try {
    const used = parseOptions(stored);
    return (
      used.algorithm !== HASH_OPTIONS.algorithm ||
      used.memoryCost !== HASH_OPTIONS.memoryCost ||
      used.timeCost !== HASH_OPTIONS.timeCost ||
      used.parallelism !== HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a hash of nothing, so that signing in with an unknown e-mail address
 * costs as long as with a wrong password and timing does not tell whether an account exists.
 */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/**
 * The rules a new password must meet beyond its length (checked by the schema): it must not be
 * the account's e-mail address, nor its part before the @.
 */
export function assertPasswordPolicy(password: string, email: string): void {
  const candidate = password.trim().toLowerCase();
  const localPart = email.slice(0, email.lastIndexOf('@'));
  if (candidate === email || candidate === localPart) {
    throw new InvalidInput('The password must not be your e-mail address.', 'password', {
      code: 'weak_password',
    });
  }
}

/** A password for an account whose holder did not choose one: 144 random bits, shown once. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** An e-mail address as accounts are keyed by: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
