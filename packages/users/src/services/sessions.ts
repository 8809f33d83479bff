import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { newId, Unauthorized, type RequestContext, type ServiceRuntime } from '@shopstack/kernel';
import type { SessionRepository } from '../repositories/sessions.js';
import type { TokenPair } from '../schemas/account.js';
import type { RevocationReason, UserRow, UsersTables } from '../tables.js';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_LIFETIME_SECONDS,
  ACCESS_TOKEN_TYPE,
  audienceOf,
  claimsFor,
  issuerOf,
} from '../tokens/claims.js';
import type { KeyRing } from '../tokens/key-ring.js';
import type { Revocations } from '../tokens/revocations.js';

/** A refresh token buys the next pair for this long after it was issued. */
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** However often it rotates, a session ends this long after its sign-in. */
const SESSION_LIFETIME_MS = 90 * 24 * 3600 * 1000;
const USER_AGENT_MAX = 256;

function hashOf(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex');
}

function refused(
  code: 'invalid_refresh_token' | 'refresh_token_reused' | 'refresh_token_expired',
): Unauthorized {
  const messages = {
    invalid_refresh_token: 'The refresh token is not valid; sign in again.',
    refresh_token_reused: 'The refresh token was used already; the session is ended. Sign in again.',
    refresh_token_expired: 'The session expired; sign in again.',
  };
  return new Unauthorized(messages[code], { code });
}

/**
 * Sessions: a sign-in opens one, and its refresh tokens rotate (each buys one new pair, once). A
 * token presented a second time means two parties hold it, so the whole session ends (reuse
 * detection, OAuth 2.0 Security BCP): the thief's and the owner's newer tokens alike.
 */
export class Sessions {
  constructor(
    private readonly runtime: ServiceRuntime<UsersTables>,
    private readonly sessions: SessionRepository,
    private readonly ring: KeyRing,
    private readonly revocations: Revocations,
  ) {}

  /** Opens a session for an account and issues its first pair (inside the caller's transaction, if any). */
  async open(ctx: RequestContext, user: UserRow, userAgent?: string): Promise<TokenPair> {
    const sessionId = newId();
    const now = Date.now();
    await this.sessions.in(ctx).createSession({
      id: sessionId,
      user_id: user.id,
      user_agent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
      expires_at: new Date(now + SESSION_LIFETIME_MS),
    });
    return this.issue(ctx, user, sessionId, new Date(now + SESSION_LIFETIME_MS));
  }

  private async issue(
    ctx: RequestContext,
    user: UserRow,
    sessionId: string,
    sessionEnd: Date,
  ): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.sessions.in(ctx).insertToken({
      id: newId(),
      session_id: sessionId,
      token_hash: hashOf(refreshToken),
      expires_at: new Date(Math.min(Date.now() + REFRESH_TOKEN_LIFETIME_MS, sessionEnd.getTime())),
    });
    return {
      accessToken: await this.accessToken(user, sessionId),
      refreshToken,
      expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS,
      tokenType: 'Bearer',
    };
  }

  private async accessToken(user: UserRow, sessionId: string): Promise<string> {
    const { kid, key } = this.ring.signingKey();
    const storeId = this.runtime.store.id;
    return new SignJWT({ ...claimsFor(user.role, sessionId) })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid })
      .setIssuer(issuerOf(storeId))
      .setAudience(audienceOf(storeId))
      .setSubject(user.id)
      .setJti(newId())
      .setIssuedAt()
      .setExpirationTime(`${ACCESS_TOKEN_LIFETIME_SECONDS}s`)
      .sign(key);
  }

  /**
   * Spends a refresh token for a new pair. Every path locks the session row first, so of any number
   * of concurrent refreshes with one token exactly one succeeds and the others end the session.
   */
  async refresh(
    ctx: RequestContext,
    refreshToken: string,
    findUser: (ctx: RequestContext, id: string) => Promise<UserRow | null>,
  ): Promise<TokenPair> {
    const tokenHash = hashOf(refreshToken);
    const presented = await this.sessions.in(ctx).findToken(tokenHash);
    if (!presented) throw refused('invalid_refresh_token');
    type Outcome =
      | { pair: TokenPair }
      | {
          refused: 'invalid_refresh_token' | 'refresh_token_expired' | 'refresh_token_reused';
          ended?: string;
        };
    const outcome = await this.runtime.uow.transaction(ctx, async (ctx): Promise<Outcome> => {
      const sessions = this.sessions.in(ctx);
      const session = await sessions.lockLive(presented.session_id);
      if (session) {
        const user = await findUser(ctx, session.user_id);
        if (!user) return { refused: 'invalid_refresh_token' };
        if (await sessions.spend(presented.id))
          return { pair: await this.issue(ctx, user, session.id, session.expires_at) };
      }
      // Read again now the session is locked: a concurrent refresh may have spent the token meanwhile.
      const now = await sessions.findToken(tokenHash);
      if (now?.status === 'active') return { refused: 'refresh_token_expired' };
      await sessions.revoke(presented.session_id, 'reuse');
      return { refused: 'refresh_token_reused', ended: presented.session_id };
    });
    if ('pair' in outcome) return outcome.pair;
    // Thrown after the commit: the session stays ended though the caller is refused.
    if (outcome.ended) {
      await this.revocations.revoke('session', outcome.ended);
      ctx.log.warn({ session: outcome.ended }, 'a refresh token was presented twice: its session is ended');
    }
    throw refused(outcome.refused);
  }

  /** Ends every session of an account in the context's transaction; announce them once it commits. */
  async endAll(ctx: RequestContext, userId: string, reason: RevocationReason): Promise<string[]> {
    return this.sessions.in(ctx).revokeAllOf(userId, reason);
  }

  /** Makes the access tokens of ended sessions stop working in every process that can hear it. */
  async announceEnded(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) await this.revocations.revoke('session', id);
  }

  /** Ends the session of a refresh token, whatever its state; an unknown token ends nothing. */
  async logout(ctx: RequestContext, refreshToken: string): Promise<void> {
    const presented = await this.sessions.in(ctx).findToken(hashOf(refreshToken));
    if (!presented) return;
    await this.runtime.uow.transaction(ctx, (ctx) =>
      this.sessions.in(ctx).revoke(presented.session_id, 'logout'),
    );
    await this.revocations.revoke('session', presented.session_id);
  }
}
