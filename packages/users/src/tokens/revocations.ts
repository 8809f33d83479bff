import type { Database, Logger } from '@shopstack/kernel';
import { ACCESS_TOKEN_LIFETIME_SECONDS, CLOCK_TOLERANCE_SECONDS } from './claims.js';

/** A revocation outlives every access token issued before it: none can still be valid after. */
const KEEP_MS = (ACCESS_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000;

interface Message {
  kind: 'session' | 'account';
  id: string;
}

/**
 * Sessions ended and accounts deleted within the lifetime of an access token. Access tokens are
 * verified without asking the database, so this short list is what makes a logged-out session's or
 * a deleted account's tokens stop working at once in every process on the same database (PostgreSQL
 * NOTIFY); a process that reaches users over HTTP accepts them until they expire (15 minutes).
 */
export class Revocations {
  private readonly ended = new Map<string, number>();
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly database: Database,
    private readonly channel: string,
    private readonly log: Logger,
  ) {}

  /** Hears the revocations of the other processes of the store. */
  async start(): Promise<void> {
    this.unsubscribe = await this.database.listen(this.channel, (payload) => {
      try {
        const message = JSON.parse(payload) as Message;
        this.remember(message);
      } catch (err) {
        this.log.warn({ err }, 'unreadable revocation message');
      }
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  private key(message: Message): string {
    return `${message.kind}:${message.id}`;
  }

  private remember(message: Message): void {
    const now = Date.now();
    // Forgetting what can no longer matter keeps the list as short as an access token's lifetime.
    for (const [key, until] of this.ended) if (until <= now) this.ended.delete(key);
    this.ended.set(this.key(message), now + KEEP_MS);
  }

  /** Records a revocation here and tells the other processes. */
  async revoke(kind: Message['kind'], id: string): Promise<void> {
    const message = { kind, id };
    this.remember(message);
    await this.database.notify(this.channel, JSON.stringify(message)).catch((err: unknown) => {
      this.log.warn({ err }, 'could not announce a revocation to the other processes');
    });
  }

  /** Whether a token of this account and session was revoked. */
  revoked(accountId: string, sessionId: string): boolean {
    const now = Date.now();
    const account = this.ended.get(`account:${accountId}`);
    const session = this.ended.get(`session:${sessionId}`);
    return (account !== undefined && account > now) || (session !== undefined && session > now);
  }
}
