import type { FastifyBaseLogger } from 'fastify';

/** The store a process serves. */
export interface StoreInfo {
  id: string;
  name: string;
  currency: string;
}

/** Who is acting: an anonymous shopper, staff (admin token or, later, a staff account) or the system itself. */
export type Actor = { kind: 'anonymous' } | { kind: 'staff'; id: string } | { kind: 'system'; id: string };

/** Passed first to every service function: which store, who acts, and the logger bound to this request. */
export interface RequestContext {
  store: StoreInfo;
  actor: Actor;
  requestId: string;
  log: FastifyBaseLogger;
}

/** A context for work the platform does on its own behalf (seeding, migrations, event handlers). */
export function systemContext(store: StoreInfo, log: FastifyBaseLogger, id = 'system'): RequestContext {
  return { store, actor: { kind: 'system', id }, requestId: id, log };
}
