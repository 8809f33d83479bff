import type { Config } from '@shopstack/kernel';
import { describeDatabaseTarget, redactUrl } from './database-target.js';

/** Why the database could not be used, in the user's terms, and what to do about it. */
export interface DatabaseFailure {
  /** `reach`: no conversation with the server; `open`: the server answered and refused. */
  stage: 'reach' | 'open';
  reason: string;
  hint: (databaseName: string) => string;
}

const CHECK_HOST = () => 'Check the host and port in DATABASE_URL.';

/** Socket errors met while connecting, by code. */
const NETWORK: Record<string, Omit<DatabaseFailure, 'stage'>> = {
  ECONNREFUSED: {
    reason: 'connection refused',
    hint: () => 'Is PostgreSQL running there, and are the host and port in DATABASE_URL right?',
  },
  ENOTFOUND: { reason: 'the host name does not resolve', hint: CHECK_HOST },
  EAI_AGAIN: { reason: 'the host name does not resolve', hint: CHECK_HOST },
  ETIMEDOUT: { reason: 'the host does not answer', hint: CHECK_HOST },
  EHOSTUNREACH: { reason: 'the host cannot be reached', hint: CHECK_HOST },
  ENETUNREACH: { reason: 'the network of the host cannot be reached', hint: CHECK_HOST },
  ECONNRESET: {
    reason: 'the server closed the connection',
    hint: () => 'Check that the port in DATABASE_URL is a PostgreSQL server.',
  },
};

/** What PostgreSQL says when it refuses a connection, by SQLSTATE; the reason is its own message. */
const REFUSALS: Record<string, DatabaseFailure['hint']> = {
  '3D000': (name) => `Create it (createdb ${name}) or point DATABASE_URL at an existing database.`,
  '28P01': () => 'Check the user name and password in DATABASE_URL.',
  '28000': () => "Check the user in DATABASE_URL and the server's pg_hba.conf.",
  '57P03': () => 'Wait until the server accepts connections, then try again.',
  '53300': () => 'Lower SHOPSTACK_DB_POOL_SIZE, or raise max_connections on the server.',
};

/** The error, its causes, and the errors an AggregateError gathers (one per address tried). */
function* chainOf(err: unknown, seen = new Set<unknown>()): Generator<Error> {
  if (!(err instanceof Error) || seen.has(err)) return;
  seen.add(err);
  yield err;
  if (err instanceof AggregateError) for (const inner of err.errors) yield* chainOf(inner, seen);
  yield* chainOf(err.cause, seen);
}

/** The reason an error (or any of its causes) gives for not reaching or opening the database, if it is one. */
export function databaseFailureOf(err: unknown): DatabaseFailure | undefined {
  for (const error of chainOf(err)) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') {
      if (/client password must be a string/.test(error.message)) {
        return {
          stage: 'open',
          reason: 'the server asks for a password and DATABASE_URL has none',
          hint: () => 'Add it: postgres://user:password@host/database.',
        };
      }
      continue;
    }
    if (NETWORK[code]) return { stage: 'reach', ...NETWORK[code] };
    const refusal = REFUSALS[code];
    if (refusal) return { stage: 'open', reason: error.message, hint: refusal };
    // Class 08: the connection failed while it was being set up.
    if (/^08[0-9A-Z]{3}$/.test(code))
      return {
        stage: 'reach',
        reason: error.message,
        hint: () => "Check DATABASE_URL and the server's log.",
      };
  }
  return undefined;
}

/**
 * One line for a database that cannot be used: what failed, where (the URL without its password),
 * and what to do.
 */
export function describeDatabaseFailure(failure: DatabaseFailure, config: Config | undefined): string {
  const url = config?.database.url;
  const where = url ? redactUrl(url) : config ? describeDatabaseTarget(config) : 'the configured database';
  let name = 'the database';
  if (url) {
    try {
      name = decodeURIComponent(new URL(url).pathname.slice(1)) || name;
    } catch {
      // An unreadable URL is named as it is redacted; the hint keeps its generic wording.
    }
  }
  // The hints speak of DATABASE_URL; an embedded database has none, and its own thread logged why it stopped.
  const hint =
    config && !url
      ? 'The embedded database stopped: see the messages above; set DATABASE_URL to use PostgreSQL instead.'
      : failure.hint(name);
  return `cannot ${failure.stage} the database: ${failure.reason} (${where}). ${hint}`;
}
