import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequests, type Database } from '@shopstack/kernel';

/** Failed sign-ins one account may have in a window before it is locked for a while, from any address. */
export const ACCOUNT_ATTEMPTS = 5;
const ACCOUNT_WINDOW_SECONDS = 15 * 60;
const ACCOUNT_LOCK_SECONDS = 15 * 60;
/** Failed sign-ins one IP address may have across every account before it is locked for a while. */
export const IP_ATTEMPTS = 20;
const IP_WINDOW_SECONDS = 60 * 60;
const IP_LOCK_SECONDS = 60 * 60;
/** Failures of an account after which each further one is answered more slowly. */
const SLOW_AFTER = 2;
const SLOW_BASE_MS = 200;
const SLOW_MAX_MS = 2_000;

/** Sign-in refused without checking the password: too many failures of the account or from the address. */
export class LoginThrottled extends TooManyRequests {
  constructor(retryAfterSeconds: number) {
    super('Too many failed sign-ins; try again later.', retryAfterSeconds, { code: 'too_many_attempts' });
  }
}

/** One admitted attempt: what a failure of it costs, and how to give its points back on success. */
export interface LoginAttempt {
  /** Failures of the account counted in the window, this attempt included. */
  accountAttempts: number;
  accountKey: string;
  ip?: string;
}

/**
 * Brute-force protection of sign-in (rate-limiter-flexible on the store's database, in the users
 * schema, so every process counts together). Each attempt takes a point from the account's and the
 * address's budget before the password is checked, so parallel guesses cannot overrun it; a success
 * gives its points back. An unknown e-mail address is counted exactly like a known one, so the
 * answers never tell whether an account exists.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterPostgres;
  private readonly byIp: RateLimiterPostgres;

  constructor(pool: Database['pool'], schema: string) {
    // Unnamed statements: the embedded database serves every connection from one session, where
    // the library's named prepared statements would collide.
    const storeClient = { query: (q: { text: string; values?: unknown[] }) => pool.query(q.text, q.values) };
    const common = {
      storeClient,
      storeType: 'pool',
      schemaName: schema,
      tableName: 'login_limits',
      tableCreated: true,
    };
    this.byAccount = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'account',
      points: ACCOUNT_ATTEMPTS,
      duration: ACCOUNT_WINDOW_SECONDS,
      blockDuration: ACCOUNT_LOCK_SECONDS,
    });
    this.byIp = new RateLimiterPostgres({
      ...common,
      keyPrefix: 'ip',
      points: IP_ATTEMPTS,
      duration: IP_WINDOW_SECONDS,
      blockDuration: IP_LOCK_SECONDS,
    });
  }

  /** Takes this attempt's points, or throws LoginThrottled when the address or the account is locked. */
  async admit(email: string, ip: string | undefined): Promise<LoginAttempt> {
    // The account's key is a hash: the limiter's table holds no e-mail addresses.
    const accountKey = createHash('sha256').update(email).digest('hex');
    if (ip !== undefined) await consume(this.byIp, ip);
    const account = await consume(this.byAccount, accountKey);
    return { accountAttempts: account.consumedPoints, accountKey, ...(ip !== undefined ? { ip } : {}) };
  }

  /** A success clears the account's failures and gives the address its point back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.byAccount.delete(attempt.accountKey);
    if (attempt.ip !== undefined) await this.byIp.reward(attempt.ip, 1);
  }

  /** A failure is answered later the more the account failed recently: guessing slows down before it locks. */
  async failed(attempt: LoginAttempt): Promise<void> {
    const over = attempt.accountAttempts - SLOW_AFTER;
    if (over > 0) await sleep(Math.min(SLOW_BASE_MS * 2 ** (over - 1), SLOW_MAX_MS));
  }
}

async function consume(limiter: RateLimiterPostgres, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (err) {
    // The limiter rejects with its result when the budget is spent, and with an Error when it fails.
    if (err instanceof RateLimiterRes)
      throw new LoginThrottled(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    throw err;
  }
}
