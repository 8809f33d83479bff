import { createHash, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { Type } from '@sinclair/typebox';
import { sql, type Kysely } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, InvalidInput, InvalidParameter } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Idempotency-Key for the POSTs a client may retry (checkout, payment, refund), with the semantics
 * of the best-known card API:
 * - the first request with a key claims it, runs, and its answer (status, body) is kept;
 * - the same key with the same request answers that first answer again and does nothing;
 * - the same key with another request (other body or path parameters) is refused: 422;
 * - the same key while the first request still runs: 409, try again shortly;
 * - a request refused by its schema never claims a key, and a 5xx or 429 answer gives the key back,
 *   so a retry after a server failure runs again.
 * Keys are scoped to the caller (the customer, staff member, service or guest cart that sends them)
 * and to the operation, and kept at least KEEP_HOURS.
 */

/** How long an answer is kept for replays. */
export const IDEMPOTENCY_KEEP_HOURS = 24;
/** A key held longer than this by a request that never answered (its process died) may be taken over. */
const STALE_AFTER_MS = 2 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 1000;

/** The Idempotency-Key request header: what a client generates per operation (a UUID, say). */
export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'A key the client makes up per operation (a UUID, say): a retry with the same key and request answers the first answer again and acts once',
    }),
  ),
});

/** The problem codes an idempotency-keyed route may answer, by status. */
export const IDEMPOTENCY_PROBLEMS = {
  400: ['idempotency_key_required'],
  409: ['idempotency_in_progress'],
  422: ['idempotency_key_reused'],
} as const;

/** The table the kernel keeps in every service's schema for the answers of keyed requests. */
export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  fingerprint: string;
  state: 'running' | 'done';
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  created_at: Date;
  locked_at: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed, answered in onSend. */
    idempotencyClaim?: { scope: string; key: string };
  }
}

const IDEMPOTENCY_HOOK = Symbol('shopstack.idempotency');

/** Whether a route hook is the idempotency claim; the route conventions then document the header and its codes. */
export function isIdempotencyHook(hook: unknown): boolean {
  return typeof hook === 'function' && IDEMPOTENCY_HOOK in hook;
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * The fingerprint of a body with secrets in it (card details): memory-hard and salted with the
 * scope and key, so that a kept fingerprint is no shortcut to the secret (with a few digits known,
 * a fast digest of a card number is reversed by trying every number).
 */
async function slowDigest(value: string, salt: string): Promise<string> {
  const derived = await scryptAsync(value, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return derived.toString('hex');
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** JSON with object keys sorted, so that the same request always has the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Who sends the key: keys of different callers never meet. A guest is known by their cart token, if any. */
function callerOf(request: FastifyRequest): string {
  const { actor, caller } = request.ctx;
  const via = caller === undefined ? '' : `via:${caller}|`;
  switch (actor.kind) {
    case 'customer':
      return `${via}customer:${actor.id}`;
    case 'staff':
      return `${via}staff:${actor.id}`;
    case 'service':
      return `${via}service:${actor.name}`;
    case 'anonymous': {
      const cartToken = request.headers['x-cart-token'];
      return typeof cartToken === 'string' ? `${via}guest:${sha256(cartToken)}` : `${via}anonymous`;
    }
  }
}

/** Headers of an answer that a replay repeats. */
const KEPT_HEADERS = ['content-type', 'location'];

/**
 * Route hooks that make a POST honour Idempotency-Key: spread them into the route's options
 * (`...idempotencyKeyed(runtime, { required: true })`). The route conventions add the header to the
 * route's schema and its problem codes to its documentation.
 */
export function idempotencyKeyed(
  runtime: { readonly db: object; readonly schema: string; readonly logger: Logger },
  options: {
    required?: boolean;
    /** The body holds secrets (card details): its fingerprint is a slow, salted hash (see slowDigest). */
    sensitiveBody?: boolean;
  } = {},
) {
  // Every service's schema has the table (a kernel migration), whatever the service's own tables are.
  const db = runtime.db as Kysely<{ idempotency_keys: IdempotencyKeyTable }>;
  const table = () => db.withSchema(runtime.schema);
  let lastPurge = 0;

  function purgeOld(): void {
    const now = Date.now();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    table()
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${IDEMPOTENCY_KEEP_HOURS})`)
      .execute()
      .catch((err: unknown) => runtime.logger.warn({ err }, 'old idempotency keys could not be purged'));
  }

  async function claimIdempotencyKey(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      if (options.required) {
        throw new InvalidParameter('idempotency-key', 'is required', 'headers', {
          code: 'idempotency_key_required',
        });
      }
      return;
    }
    purgeOld();
    const scope = `${request.method} ${request.routeOptions.url ?? request.url}|${callerOf(request)}`;
    const canonical = canonicalJson({ params: request.params ?? null, body: request.body ?? null });
    const fingerprint = options.sensitiveBody
      ? await slowDigest(canonical, `${scope}|${key}`)
      : sha256(canonical);
    // A key given back between our insert and our read (its request answered 5xx) is claimed again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await table()
        .insertInto('idempotency_keys')
        .values({
          scope,
          key,
          fingerprint,
          state: 'running',
          status: null,
          headers: null,
          body: null,
          created_at: sql<Date>`now()`,
          locked_at: sql<Date>`now()`,
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (claimed) {
        request.idempotencyClaim = { scope, key };
        return;
      }
      const held = await table()
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('scope', '=', scope)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!held) continue;
      if (held.fingerprint !== fingerprint) {
        throw new InvalidInput(
          'This Idempotency-Key was used with a different request; use a new key for a new request.',
          'idempotency-key',
          { code: 'idempotency_key_reused' },
        );
      }
      if (held.state === 'done') {
        reply.code(held.status ?? 200);
        for (const [name, value] of Object.entries(held.headers ?? {})) reply.header(name, value);
        reply.header('idempotent-replayed', 'true');
        return reply.send(held.body ?? '');
      }
      // The request that claimed the key never answered and its process is gone: this one takes over.
      const taken = await table()
        .updateTable('idempotency_keys')
        .set({ locked_at: sql<Date>`now()` })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', 'running')
        .where('locked_at', '<', sql<Date>`now() - make_interval(secs => ${STALE_AFTER_MS / 1000})`)
        .returning('key')
        .executeTakeFirst();
      if (taken) {
        request.idempotencyClaim = { scope, key };
        return;
      }
      throw new Conflict('A request with this Idempotency-Key is still being processed; try again shortly.', {
        code: 'idempotency_in_progress',
      });
    }
    throw new Conflict('This Idempotency-Key is changing hands; try again shortly.', {
      code: 'idempotency_in_progress',
    });
  }
  Object.defineProperty(claimIdempotencyKey, IDEMPOTENCY_HOOK, { value: true });

  async function keepAnswer(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ): Promise<unknown> {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    const where = table()
      .updateTable('idempotency_keys')
      .where('scope', '=', claim.scope)
      .where('key', '=', claim.key);
    if (reply.statusCode >= 500 || reply.statusCode === 429) {
      // A server failure or a rate limit acted on nothing the client can rely on: the key is free for the retry.
      await table()
        .deleteFrom('idempotency_keys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .execute();
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
    await where
      .set({ state: 'done', status: reply.statusCode, headers: sql`${JSON.stringify(headers)}::jsonb`, body })
      .execute();
    return payload;
  }

  return { preHandler: claimIdempotencyKey, onSend: keepAnswer };
}
