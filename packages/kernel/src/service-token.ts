import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { Value } from '@sinclair/typebox/value';
import type { BearerAuthenticator } from './auth.js';
import { ActorSchema, type Actor, type RequestContext } from './context.js';
import { Unauthorized } from './errors.js';

/** The JOSE `typ` of service tokens: nothing else (an access token, say) is taken for one. */
const SERVICE_TOKEN_TYPE = 'shopstack-service+jwt';
const ALGORITHM = 'HS256';
/** A service token lives long enough for one call and its retries. */
const LIFETIME_SECONDS = 60;

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function issuerOf(storeId: string): string {
  return `shopstack:${storeId}`;
}

export interface ServiceTokenOptions {
  /** The shared secret of the store's services (auth.serviceSecret). */
  secret: string;
  storeId: string;
  /** The service that sends the call. */
  caller: string;
  /** The service the call is for: a token is accepted only by it. */
  audience: string;
  /** Seconds the token is valid; one call's worth by default. */
  lifetimeSeconds?: number;
}

/**
 * Signs the credential one service sends another: it names the calling service (sub), the one
 * called (aud), and the actor the call is made for (act), so that the shopper's identity, and not
 * the calling service's, decides what the callee allows; plus the caller's deadline.
 */
export async function mintServiceToken(
  options: ServiceTokenOptions,
  ctx: Pick<RequestContext, 'actor' | 'deadline'>,
): Promise<string> {
  const claims: Record<string, unknown> = { act: ctx.actor };
  if (ctx.deadline !== undefined) claims.dl = ctx.deadline;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: SERVICE_TOKEN_TYPE })
    .setIssuer(issuerOf(options.storeId))
    .setSubject(options.caller)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.lifetimeSeconds ?? LIFETIME_SECONDS}s`)
    .sign(keyOf(options.secret));
}

function looksLikeServiceToken(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { typ?: unknown };
    return parsed.typ === SERVICE_TOKEN_TYPE;
  } catch {
    return false;
  }
}

/**
 * Accepts service tokens signed with the store's service secret and addressed to the service
 * answering (audience), with the algorithm pinned. Without a secret, every service token is refused.
 */
export function serviceTokenAuthenticator(secret: string | undefined, storeId: string): BearerAuthenticator {
  const key = secret ? keyOf(secret) : undefined;
  return async (token, audience) => {
    if (!looksLikeServiceToken(token)) return null;
    if (!key) throw new Unauthorized('This service takes no service credentials.', { code: 'invalid_token' });
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        typ: SERVICE_TOKEN_TYPE,
        issuer: issuerOf(storeId),
        audience,
        requiredClaims: ['sub', 'exp', 'act'],
      }));
    } catch (err) {
      const expired = err instanceof joseErrors.JWTExpired;
      throw new Unauthorized(
        expired ? 'The service credential expired.' : 'The service credential is not valid.',
        {
          code: expired ? 'token_expired' : 'invalid_token',
        },
      );
    }
    if (!Value.Check(ActorSchema, payload.act)) {
      throw new Unauthorized('The service credential names no valid actor.', { code: 'invalid_token' });
    }
    const caller = payload.sub!;
    // A service acting on its own behalf is the actor; one passing a call on names whom for.
    const actor = payload.act as Actor;
    const deadline = typeof payload.dl === 'number' ? payload.dl : undefined;
    return { actor, caller, ...(deadline !== undefined ? { deadline } : {}) };
  };
}
