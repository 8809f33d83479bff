import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError, Unauthorized, type Actor, type Authentication } from '@shopstack/kernel';
import type { AccountRole } from '../tables.js';

/** The JOSE `typ` of access tokens (RFC 9068): nothing else (a service token, say) is taken for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** The one algorithm access tokens are signed and verified with: Ed25519 signatures. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';
/** Access tokens are short-lived: a stolen one is worth little, and refresh tokens renew them. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** Clock difference tolerated between the processes of a store when checking exp and nbf. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Who issues access tokens: the users service of one store. */
export function issuerOf(storeId: string): string {
  return `shopstack:${storeId}:users`;
}

/** Whom access tokens are for: every service of the store. */
export function audienceOf(storeId: string): string {
  return `shopstack:${storeId}`;
}

/** What an access token says of its holder, besides the standard claims. */
export interface AccessClaims {
  role: AccountRole;
  kind: 'customer' | 'staff';
  /** The session (refresh token family) the token was issued in. */
  sid: string;
}

/** The claims of an account's access tokens. */
export function claimsFor(role: AccountRole, sessionId: string): AccessClaims {
  return { role, kind: role === 'customer' ? 'customer' : 'staff', sid: sessionId };
}

/** Whether a bearer token claims to be an access token (its header's typ); a cheap look, no verification. */
export function looksLikeAccessToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).typ === ACCESS_TOKEN_TYPE;
  } catch {
    return false;
  }
}

function invalid(message = 'The access token is not valid.'): Unauthorized {
  return new Unauthorized(message, { code: 'invalid_token' });
}

/** The actor an access token's verified claims name. */
function actorOf(payload: Record<string, unknown>): Actor {
  const { sub, role, kind } = payload;
  if (typeof sub !== 'string' || sub === '') throw invalid();
  if (kind === 'customer' && role === 'customer') return { kind: 'customer', id: sub };
  if (kind === 'staff' && (role === 'staff' || role === 'admin')) return { kind: 'staff', id: sub, role };
  throw invalid();
}

/**
 * Verifies an access token with the algorithm, type, issuer and audience pinned, and says who
 * holds it. Throws Unauthorized (token_expired or invalid_token) for any token that fails.
 */
export async function verifyAccessToken(
  token: string,
  keys: JWTVerifyGetKey,
  storeId: string,
): Promise<Authentication & { sessionId: string; issuedAt: number }> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      typ: ACCESS_TOKEN_TYPE,
      issuer: issuerOf(storeId),
      audience: audienceOf(storeId),
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: ACCESS_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    // A key server that cannot answer is not the holder's fault (see remoteAuthenticator).
    if (err instanceof DomainError) throw err;
    if (err instanceof joseErrors.JWTExpired) {
      throw new Unauthorized('The access token expired; refresh it.', { code: 'token_expired' });
    }
    throw invalid();
  }
  const actor = actorOf(payload);
  return {
    actor,
    sessionId: typeof payload.sid === 'string' ? payload.sid : '',
    issuedAt: payload.iat!,
  };
}
