import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized } from './errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares secrets in constant time whatever their lengths. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

const STAFF_GUARD = Symbol('shopstack.staffGuard');

/** Whether a route hook is a staff guard; the kernel documents guarded routes as needing the staff token. */
export function isStaffGuard(hook: unknown): boolean {
  return typeof hook === 'function' && STAFF_GUARD in hook;
}

/**
 * An onRequest hook that admits staff only: a bearer token equal to the configured staff API token.
 * The users service later adds staff accounts with roles behind the same hook.
 */
export function staffGuard(getToken: () => string | undefined) {
  async function requireStaff(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const token = getToken();
    // The auth scheme is case-insensitive (RFC 9110), the token itself is not.
    const presented = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (!presented)
      throw new Unauthorized('This endpoint needs a staff token: Authorization: Bearer <token>.');
    if (!token || !secretsEqual(presented, token)) throw new Unauthorized('The staff token is not valid.');
    request.actor = { kind: 'staff', id: 'admin-token' };
  }
  return Object.assign(requireStaff, { [STAFF_GUARD]: true });
}
