import type { Insertable, Kysely } from 'kysely';
import type { RequestContext, UnitOfWork } from '@shopstack/kernel';
import type {
  RefreshTokenStatus,
  RefreshTokenTable,
  RevocationReason,
  SessionRow,
  SessionTable,
  UsersTables,
} from '../tables.js';

export interface PresentedToken {
  id: string;
  session_id: string;
  user_id: string;
  status: RefreshTokenStatus;
  expires_at: Date;
}

/**
 * All SQL of sessions and their refresh tokens. Whatever changes a session's tokens first locks
 * the session row (lockLive, revoke), so rotations, logouts and reuse revocations of one session
 * run one after another and none can leave a live token in a revoked session.
 */
export class SessionRepository {
  constructor(
    private readonly uow: UnitOfWork<UsersTables>,
    private readonly schema: string,
    private readonly ctx?: RequestContext,
  ) {}

  in(ctx: RequestContext): SessionRepository {
    return new SessionRepository(this.uow, this.schema, ctx);
  }

  private get q(): Kysely<UsersTables> {
    return this.uow.db(this.ctx).withSchema(this.schema);
  }

  async createSession(session: Insertable<SessionTable>): Promise<void> {
    await this.q.insertInto('sessions').values(session).execute();
  }

  async insertToken(token: Insertable<RefreshTokenTable>): Promise<void> {
    await this.q.insertInto('refresh_tokens').values(token).execute();
  }

  /** The refresh token with this hash, whatever its state, with its session's owner. */
  async findToken(tokenHash: string): Promise<PresentedToken | null> {
    const row = await this.q
      .selectFrom('refresh_tokens as t')
      .innerJoin('sessions as s', 's.id', 't.session_id')
      .select(['t.id', 't.session_id', 's.user_id', 't.status', 't.expires_at'])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Locks a session that is neither revoked nor past its end and marks it used; null otherwise. */
  async lockLive(sessionId: string): Promise<SessionRow | null> {
    const row = await this.q
      .updateTable('sessions')
      .set({ last_used_at: new Date() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Spends an active, unexpired token; false when it was spent, revoked or expired already. */
  async spend(tokenId: string): Promise<boolean> {
    const row = await this.q
      .updateTable('refresh_tokens')
      .set({ status: 'used', used_at: new Date() })
      .where('id', '=', tokenId)
      .where('status', '=', 'active')
      .where('expires_at', '>', new Date())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Ends a session and every token of it that could still be spent; false when it had ended. */
  async revoke(sessionId: string, reason: RevocationReason): Promise<boolean> {
    const ended = await this.q
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    await this.q
      .updateTable('refresh_tokens')
      .set({ status: 'revoked' })
      .where('session_id', '=', sessionId)
      .where('status', '=', 'active')
      .execute();
    return ended !== undefined;
  }

  /** Ends every session of an account (deletion, password change), in id order to lock alike everywhere. */
  async revokeAllOf(userId: string, reason: RevocationReason): Promise<string[]> {
    const sessions = await this.q
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute();
    for (const { id } of sessions) await this.revoke(id, reason);
    return sessions.map((session) => session.id);
  }

  async list(userId: string): Promise<SessionRow[]> {
    return this.q
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Forgets which devices an account signed in from (account deletion). */
  async eraseDevices(userId: string): Promise<void> {
    await this.q.updateTable('sessions').set({ user_agent: null }).where('user_id', '=', userId).execute();
  }
}
