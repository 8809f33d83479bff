import { Type, type Static } from '@sinclair/typebox';
import type { Logger } from './logger.js';

/** The store a process serves. */
export interface StoreInfo {
  id: string;
  name: string;
  currency: string;
}

/** Roles of staff accounts: `staff` runs the shop (catalogue, orders), `admin` also manages staff. */
export const STAFF_ROLES = ['staff', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const StaffRoleSchema = Type.Union(STAFF_ROLES.map((role) => Type.Literal(role)));

/**
 * Who a request acts for: an anonymous shopper, a signed-in customer, a staff member with a role,
 * or a service acting on its own behalf (seeding, jobs, event handlers, the bootstrap token).
 */
export const ActorSchema = Type.Union([
  Type.Object({ kind: Type.Literal('anonymous') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('customer'), id: Type.String() }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('staff'), id: Type.String(), role: StaffRoleSchema },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('service'), name: Type.String() }, { additionalProperties: false }),
]);
export type Actor = Static<typeof ActorSchema>;

/** W3C trace context, carried from the incoming request to every call and message it causes. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/**
 * What a request context is once serialized: everything but the logger and open transactions, so a
 * job or a message handler in another process can rebuild it (`restoreContext`).
 */
export const ContextDataSchema = Type.Object(
  {
    store: Type.Object({ id: Type.String(), name: Type.String(), currency: Type.String() }),
    actor: ActorSchema,
    caller: Type.Optional(Type.String()),
    requestId: Type.String(),
    deadline: Type.Optional(Type.Number()),
    trace: Type.Optional(
      Type.Object({ traceparent: Type.String(), tracestate: Type.Optional(Type.String()) }),
    ),
  },
  { additionalProperties: false },
);
export type ContextData = Static<typeof ContextDataSchema>;

/**
 * Passed first to every service function: which store, who acts, which service passed the call on,
 * until when an answer is useful, and the logger bound to this request. No HTTP types: the same
 * context comes from an HTTP request, an in-process call, a job or a message.
 */
export interface RequestContext extends ContextData {
  /** The service that made this call on the actor's behalf (in-process or over HTTP), if any. */
  caller?: string;
  /** Epoch milliseconds after which nobody waits for the answer; calls to other services stop there. */
  deadline?: number;
  log: Logger;
  /** Open transactions of units of work, by unit (see UnitOfWork); never serialized. */
  readonly transactions?: ReadonlyMap<object, unknown>;
}

/** A context for work the platform does on its own behalf (seeding, migrations, jobs, event handlers). */
export function serviceContext(store: StoreInfo, log: Logger, service: string): RequestContext {
  return { store, actor: { kind: 'service', name: service }, requestId: `${service}-${Date.now()}`, log };
}

/** The serializable part of a context: what a job or a message carries. */
export function serializeContext(ctx: RequestContext): ContextData {
  const data: ContextData = { store: { ...ctx.store }, actor: { ...ctx.actor }, requestId: ctx.requestId };
  if (ctx.caller !== undefined) data.caller = ctx.caller;
  if (ctx.deadline !== undefined) data.deadline = ctx.deadline;
  if (ctx.trace) data.trace = { ...ctx.trace };
  return data;
}

/** Rebuilds a context from its serialized form, with a logger that names its request. */
export function restoreContext(data: ContextData, log: Logger): RequestContext {
  return { ...data, log: log.child({ reqId: data.requestId }) };
}

/** Milliseconds left before the context's deadline (Infinity without one). */
export function timeLeft(ctx: Pick<RequestContext, 'deadline'>, now = Date.now()): number {
  return ctx.deadline === undefined ? Infinity : ctx.deadline - now;
}
