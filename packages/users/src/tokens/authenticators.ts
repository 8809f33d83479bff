import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { Unauthorized, UpstreamUnavailable, type BearerAuthenticator, type Config } from '@shopstack/kernel';
import { looksLikeAccessToken, verifyAccessToken } from './claims.js';
import type { KeyRing } from './key-ring.js';
import type { Revocations } from './revocations.js';

/** Where a users service publishes its public keys, below its base URL. */
export const JWKS_PATH = '/api/users/.well-known/jwks.json';

/**
 * Accepts the store's access tokens in a process that hosts the users service: verified with the
 * shared keys, and refused at once when their session ended or their account was deleted. Tokens
 * of other kinds are left to the next authenticator.
 */
export function localAuthenticator(
  ring: KeyRing,
  revocations: Revocations,
  storeId: string,
): BearerAuthenticator {
  return async (token) => {
    if (!looksLikeAccessToken(token)) return null;
    const found = await verifyAccessToken(token, ring.resolve, storeId);
    const accountId = 'id' in found.actor ? found.actor.id : '';
    if (revocations.revoked(accountId, found.sessionId)) {
      throw new Unauthorized('The access token was revoked; sign in again.', { code: 'invalid_token' });
    }
    return { actor: found.actor };
  };
}

/**
 * Accepts the store's access tokens in a process that reaches users over HTTP, verifying them
 * against the public keys users publishes (fetched once, then again only for an unknown key id).
 * Keys that cannot be fetched make the request a 503, not the holder's 401.
 */
export function remoteAuthenticator(options: { baseUrl: string; config: Config }): BearerAuthenticator {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}${JWKS_PATH}`);
  const jwks = createRemoteJWKSet(url, { timeoutDuration: 3_000, cooldownDuration: 10_000 });
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys)
        throw err;
      throw new UpstreamUnavailable('users', `could not fetch ${url.href}: ${(err as Error).message}`);
    }
  };
  return async (token) => {
    if (!looksLikeAccessToken(token)) return null;
    const { actor } = await verifyAccessToken(token, keys, options.config.store.id);
    return { actor };
  };
}
