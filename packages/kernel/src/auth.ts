import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, RequestContext, StaffRole } from './context.js';
import { Forbidden, Unauthorized } from './errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares secrets in constant time whatever their lengths. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** What a verified bearer token says: who acts, and which service passed the call on, if any. */
export interface Authentication {
  actor: Actor;
  caller?: string;
  /** Epoch milliseconds; a service passing a call on tells how long its own caller waits. */
  deadline?: number;
}

/**
 * Turns a bearer token into who presents it. Resolves null when the token is not of its kind (the
 * next authenticator is asked); throws Unauthorized when it is of its kind but not valid.
 */
export type BearerAuthenticator = (token: string, audience: string) => Promise<Authentication | null>;

/** The bearer token of an Authorization header, or undefined; the scheme is case-insensitive (RFC 9110). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header || !/^bearer /i.test(header)) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

/**
 * Who may do something, stated where the rule lives (in the service layer), so that an in-process
 * call and an HTTP call get the same answer.
 */
export interface AccessRule {
  /** Staff roles admitted; `true` admits every staff role. */
  staff?: readonly StaffRole[] | true;
  /** Whether signed-in customers are admitted (ownership is the service's own check). */
  customer?: boolean;
  /** Whether anyone at all is admitted. */
  anonymous?: boolean;
  /**
   * Services admitted, whether they act on their own behalf or pass a shopper's call on: what a
   * service credential may do is scoped by this list.
   */
  services?: readonly string[];
}

/** Whether the context's actor (or the service that passed the call on) satisfies the rule. */
export function isAllowed(ctx: Pick<RequestContext, 'actor' | 'caller'>, rule: AccessRule): boolean {
  if (rule.anonymous) return true;
  const { actor } = ctx;
  if (ctx.caller !== undefined && rule.services?.includes(ctx.caller)) return true;
  switch (actor.kind) {
    case 'customer':
      return rule.customer === true;
    case 'staff':
      return rule.staff === true || (rule.staff?.includes(actor.role) ?? false);
    case 'service':
      return rule.services?.includes(actor.name) ?? false;
    default:
      return false;
  }
}

/** The code of a refusal that is the calling service's, not the shopper's: its credential's scope. */
export const SERVICE_NOT_PERMITTED = 'service_not_permitted';

/**
 * Refuses the call unless the rule admits its actor: 401 for an anonymous actor (signing in may
 * help), 403 for anyone else. `action` says what was refused, in the shop's words. Where the rule
 * admits services by name and another service passed the call on, the refusal is that service's
 * (403 service_not_permitted): it asked for more than its credential's scope, a fault of the
 * deployment that its callers see as that service being unavailable, never as their own 403.
 */
export function authorize(
  ctx: Pick<RequestContext, 'actor' | 'caller'>,
  rule: AccessRule,
  action: string,
): void {
  if (isAllowed(ctx, rule)) return;
  if (ctx.caller !== undefined && rule.services !== undefined && rule.services.length > 0) {
    throw new Forbidden(`The ${ctx.caller} service may not ${action}.`, {
      code: SERVICE_NOT_PERMITTED,
      service: ctx.caller,
    });
  }
  if (ctx.actor.kind === 'anonymous' && ctx.caller === undefined) {
    throw new Unauthorized(`Sign in to ${action}.`, { code: 'authentication_required' });
  }
  throw new Forbidden(`You may not ${action}.`);
}

/** The signed-in customer's id; 401 for anyone else but staff and services (403). */
export function requireCustomer(ctx: Pick<RequestContext, 'actor' | 'caller'>, action: string): string {
  if (ctx.actor.kind === 'customer') return ctx.actor.id;
  authorize(ctx, {}, action);
  throw new Forbidden(`Only a customer may ${action}.`);
}

const ACCESS_GUARD = Symbol('shopstack.accessGuard');

/** Whether a route hook is an access guard; the kernel documents guarded routes as needing a bearer token. */
export function isAccessGuard(hook: unknown): boolean {
  return typeof hook === 'function' && ACCESS_GUARD in hook;
}

/**
 * An onRequest hook that turns callers away at the edge before any body is read (the service layer
 * checks the same rule again, for in-process callers). The kernel authenticates the bearer token
 * first; this only compares the actor with the rule.
 */
export function accessGuard(rule: AccessRule, action: string) {
  async function guard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    authorize(request.ctx, rule, action);
  }
  return Object.assign(guard, { [ACCESS_GUARD]: rule });
}

/** Staff of any role (the catalogue's back office, say). */
export const STAFF: AccessRule = { staff: true };
/** A signed-in customer. */
export const CUSTOMERS: AccessRule = { customer: true };
