import {
  assertInput,
  authorize,
  Forbidden,
  InvalidParameter,
  NotFound,
  requireCustomer,
  STAFF,
  Unauthorized,
  type AccessRule,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { AddressRepository } from '../repositories/addresses.js';
import type { SessionRepository } from '../repositories/sessions.js';
import type { CustomerPageAfter, UserRepository } from '../repositories/users.js';
import type { Account } from '../schemas/account.js';
import {
  UpdateProfileInput,
  type Customer,
  type CustomerList,
  type CustomerListQuery,
  type DataExport,
} from '../schemas/profile.js';
import type { UserRow, UsersTables } from '../tables.js';
import type { Revocations } from '../tokens/revocations.js';
import { accountView, addressView, sessionView } from './views.js';

/** Anyone signed in with an account of their own: customers and staff. */
export const ACCOUNT_HOLDERS: AccessRule = { customer: true, staff: true };

/** The id of the account the context's actor signed in with; 401 for anyone else but services (403). */
export function accountIdOf(ctx: RequestContext, action: string): string {
  authorize(ctx, ACCOUNT_HOLDERS, action);
  if (ctx.actor.kind === 'customer' || ctx.actor.kind === 'staff') return ctx.actor.id;
  throw new Forbidden(`Only a signed-in account may ${action}.`);
}

/**
 * A token that outlived its account (deleted meanwhile in another process that could not tell this
 * one) is refused like any revoked token.
 */
function accountGone(): Unauthorized {
  return new Unauthorized('The account of this token no longer exists.', { code: 'invalid_token' });
}

function customerNotFound(id: string): NotFound {
  return new NotFound(`No customer ${id}.`, { code: 'customer_not_found' });
}

function encodeCursor(row: { cursor_at: string; id: string }): string {
  return Buffer.from(`${row.cursor_at}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): CustomerPageAfter {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  // A time the database reads back as written: a real day (not 30 February), from year 1000 on.
  const at = createdAt === undefined ? undefined : new Date(`${createdAt}Z`);
  const valid =
    createdAt !== undefined &&
    /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/.test(createdAt) &&
    at !== undefined &&
    !Number.isNaN(at.getTime()) &&
    at.toISOString().slice(0, 19) === createdAt.slice(0, 19) &&
    id !== undefined &&
    /^[A-Za-z0-9_-]{1,64}$/.test(id);
  if (!valid) {
    throw new InvalidParameter('cursor', 'is not a cursor of this listing', 'querystring', {
      code: 'invalid_cursor',
    });
  }
  return { createdAt, id };
}

/** A signed-in person's own account: profile, data export and deletion; and customers as others see them. */
export class Profiles {
  constructor(
    private readonly runtime: ServiceRuntime<UsersTables>,
    private readonly users: UserRepository,
    private readonly addresses: AddressRepository,
    private readonly sessions: SessionRepository,
    private readonly revocations: Revocations,
  ) {}

  private async own(ctx: RequestContext, action: string): Promise<UserRow> {
    const user = await this.users.in(ctx).findActiveById(accountIdOf(ctx, action));
    if (!user) throw accountGone();
    return user;
  }

  /** The signed-in account. */
  async me(ctx: RequestContext): Promise<Account> {
    return accountView(await this.own(ctx, 'see your account'));
  }

  /** Changes the signed-in account's name or phone; e-mail, role and status are not the holder's to set. */
  async updateMe(ctx: RequestContext, input: UpdateProfileInput): Promise<Account> {
    const id = accountIdOf(ctx, 'change your account');
    assertInput(UpdateProfileInput, input);
    const user = await this.users.in(ctx).update(id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
    });
    if (!user) throw accountGone();
    return accountView(user);
  }

  /** Everything held about the signed-in account, as JSON: profile, addresses, sessions; no secrets. */
  async exportMe(ctx: RequestContext): Promise<DataExport> {
    const user = await this.own(ctx, 'export your data');
    const [addresses, sessions] = await Promise.all([
      this.addresses.in(ctx).list(user.id),
      this.sessions.in(ctx).list(user.id),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      account: accountView(user),
      addresses: addresses.map(addressView),
      sessions: sessions.map(sessionView),
    };
  }

  /**
   * Deletes the signed-in customer's account: personal data erased (the e-mail address becomes a
   * tombstone, name, phone and addresses go), every session ended, and CustomerDeleted announced so
   * other services erase theirs. Its tokens and password stop working at once.
   */
  async deleteMe(ctx: RequestContext): Promise<void> {
    const id = requireCustomer(ctx, 'delete your account');
    await this.runtime.uow.transaction(ctx, async (ctx) => {
      const user = await this.users.in(ctx).erase(id, `deleted-${id}@deleted.invalid`);
      if (!user) throw accountGone();
      await this.addresses.in(ctx).deleteAll(id);
      await this.sessions.in(ctx).revokeAllOf(id, 'account_deleted');
      await this.sessions.in(ctx).eraseDevices(id);
      await this.runtime.outbox.emit(ctx, {
        type: 'CustomerDeleted',
        data: { customerId: id, deletedAt: user.deleted_at!.toISOString() },
      });
    });
    await this.revocations.revoke('account', id);
    ctx.log.info({ customer: id }, 'customer account deleted');
  }

  /** Live customer accounts for staff, newest first, searched by part of the name or e-mail address. */
  async listCustomers(ctx: RequestContext, query: CustomerListQuery): Promise<CustomerList> {
    authorize(ctx, STAFF, 'list customers');
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.users
      .in(ctx)
      .listCustomers(query.q === undefined ? {} : { q: query.q }, query.limit, after);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return {
      items: page.map(accountView),
      nextCursor: more ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  /**
   * A customer with their addresses, for the customer themself, staff, and services (orders).
   * Anyone else's customer, a staff account or a deleted one is not found.
   */
  async getCustomer(ctx: RequestContext, id: string): Promise<Customer> {
    const { actor } = ctx;
    if (actor.kind === 'anonymous' && ctx.caller === undefined) {
      throw new Unauthorized('Sign in to see a customer.', { code: 'authentication_required' });
    }
    // The bootstrap credential creates staff accounts and reads nothing.
    const admitted =
      actor.kind === 'staff' ||
      (actor.kind === 'customer' && actor.id === id) ||
      (actor.kind === 'service' && actor.name !== 'bootstrap');
    if (actor.kind === 'service' && !admitted) throw new Forbidden('You may not see customers.');
    if (!admitted) throw customerNotFound(id);
    const user = await this.users.in(ctx).findActiveById(id);
    if (!user || user.role !== 'customer') throw customerNotFound(id);
    const addresses = await this.addresses.in(ctx).list(id);
    return { ...accountView(user), addresses: addresses.map(addressView) };
  }
}
