import {
  assertInput,
  authorize,
  Conflict,
  InvalidInput,
  newId,
  Unauthorized,
  type AccessRule,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { UserRepository } from '../repositories/users.js';
import {
  LoginInput,
  RefreshInput,
  RegisterInput,
  type Registration,
  type TokenPair,
} from '../schemas/account.js';
import { ChangePasswordInput } from '../schemas/profile.js';
import { CreateStaffInput, type CreatedStaff } from '../schemas/staff.js';
import type { AccountRole, UserRow, UsersTables } from '../tables.js';
import type { LoginThrottle } from './login-throttle.js';
import {
  assertPasswordPolicy,
  generatePassword,
  hashPassword,
  needsRehash,
  normaliseEmail,
  verifyAgainstNothing,
  verifyPassword,
} from './passwords.js';
import { accountIdOf } from './profiles.js';
import type { Sessions } from './sessions.js';
import { accountView } from './views.js';

/** Where a sign-in comes from: the address it is rate limited by, and the device its session shows. */
export interface LoginOrigin {
  ip?: string;
  userAgent?: string;
}

/** Admins create staff accounts; so does the bootstrap credential, which can do nothing else. */
export const STAFF_CREATORS: AccessRule = { staff: ['admin'], services: ['bootstrap'] };

function emailTaken(): Conflict {
  return new Conflict('An account with this e-mail address exists already.', { code: 'email_taken' });
}

function invalidCredentials(): Unauthorized {
  return new Unauthorized('The e-mail address or the password is wrong.', { code: 'invalid_credentials' });
}

/** Sign-up, sign-in, refresh and sign-out of customers and staff, and the creation of staff accounts. */
export class Accounts {
  constructor(
    private readonly runtime: ServiceRuntime<UsersTables>,
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    private readonly throttle: LoginThrottle,
  ) {}

  /** Creates a customer account and signs it in; announces CustomerRegistered. */
  async register(ctx: RequestContext, input: RegisterInput, origin: LoginOrigin = {}): Promise<Registration> {
    assertInput(RegisterInput, input);
    const email = normaliseEmail(input.email);
    assertPasswordPolicy(input.password, email);
    const passwordHash = await hashPassword(input.password);
    return this.runtime.uow.transaction(ctx, async (ctx) => {
      const user = await this.create(ctx, {
        email,
        passwordHash,
        name: input.name.trim(),
        phone: input.phone ?? null,
        role: 'customer',
      });
      await this.runtime.outbox.emit(ctx, {
        type: 'CustomerRegistered',
        data: { customerId: user.id, registeredAt: user.created_at.toISOString() },
      });
      const tokens = await this.sessions.open(ctx, user, origin.userAgent);
      return { user: accountView(user), ...tokens };
    });
  }

  private async create(
    ctx: RequestContext,
    account: { email: string; passwordHash: string; name: string; phone: string | null; role: AccountRole },
  ): Promise<UserRow> {
    const user = await this.users.in(ctx).insert({
      id: newId(),
      email: account.email,
      password_hash: account.passwordHash,
      name: account.name,
      phone: account.phone,
      role: account.role,
    });
    if (!user) throw emailTaken();
    return user;
  }

  /**
   * Signs a customer or staff member in. An unknown address and a wrong password get the same
   * answer after the same work (a hash is checked either way); failures are rate limited per
   * account and per address, and a locked account refuses even the right password for a while.
   */
  async login(ctx: RequestContext, input: LoginInput, origin: LoginOrigin = {}): Promise<TokenPair> {
    assertInput(LoginInput, input);
    const email = normaliseEmail(input.email);
    const attempt = await this.throttle.admit(email, origin.ip);
    const user = await this.users.in(ctx).findActiveByEmail(email);
    const valid = user?.password_hash
      ? await verifyPassword(user.password_hash, input.password)
      : (await verifyAgainstNothing(input.password), false);
    if (!user || !valid) {
      await this.throttle.failed(attempt);
      throw invalidCredentials();
    }
    await this.throttle.succeeded(attempt);
    if (needsRehash(user.password_hash!)) {
      await this.users.in(ctx).update(user.id, { password_hash: await hashPassword(input.password) });
    }
    return this.runtime.uow.transaction(ctx, (ctx) => this.sessions.open(ctx, user, origin.userAgent));
  }

  /** Spends a refresh token for a new pair (see Sessions.refresh). */
  async refresh(ctx: RequestContext, input: RefreshInput): Promise<TokenPair> {
    assertInput(RefreshInput, input);
    return this.sessions.refresh(ctx, input.refreshToken, (ctx, id) => this.users.in(ctx).findActiveById(id));
  }

  /** Ends the session of a refresh token; an unknown or spent token is no error. */
  async logout(ctx: RequestContext, input: RefreshInput): Promise<void> {
    assertInput(RefreshInput, input);
    await this.sessions.logout(ctx, input.refreshToken);
  }

  /**
   * Changes the signed-in account's password, given the current one (rate limited like sign-in):
   * every session ends, and a new one is opened for the caller.
   */
  async changePassword(
    ctx: RequestContext,
    input: ChangePasswordInput,
    origin: LoginOrigin = {},
  ): Promise<TokenPair> {
    const id = accountIdOf(ctx, 'change your password');
    assertInput(ChangePasswordInput, input);
    const user = await this.users.in(ctx).findActiveById(id);
    if (!user?.password_hash)
      throw new Unauthorized('The account of this token no longer exists.', { code: 'invalid_token' });
    const attempt = await this.throttle.admit(user.email, origin.ip);
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await this.throttle.failed(attempt);
      throw new InvalidInput('The current password is wrong.', 'currentPassword', { code: 'wrong_password' });
    }
    await this.throttle.succeeded(attempt);
    assertPasswordPolicy(input.newPassword, user.email);
    const passwordHash = await hashPassword(input.newPassword);
    const { pair, ended } = await this.runtime.uow.transaction(ctx, async (ctx) => {
      const updated = await this.users.in(ctx).update(id, { password_hash: passwordHash });
      if (!updated)
        throw new Unauthorized('The account of this token no longer exists.', { code: 'invalid_token' });
      const ended = await this.sessions.endAll(ctx, id, 'password_changed');
      return { pair: await this.sessions.open(ctx, updated, origin.userAgent), ended };
    });
    await this.sessions.announceEnded(ended);
    return pair;
  }

  /** Creates a staff account (admins and the bootstrap credential only); without a password, one is generated and answered once. */
  async createStaff(ctx: RequestContext, input: CreateStaffInput): Promise<CreatedStaff> {
    authorize(ctx, STAFF_CREATORS, 'create staff accounts');
    assertInput(CreateStaffInput, input);
    const email = normaliseEmail(input.email);
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generated!;
    assertPasswordPolicy(password, email);
    const user = await this.create(ctx, {
      email,
      passwordHash: await hashPassword(password),
      name: input.name.trim(),
      phone: null,
      role: input.role ?? 'staff',
    });
    ctx.log.info({ staff: user.id, role: user.role, by: ctx.actor }, 'staff account created');
    return { user: accountView(user), ...(generated ? { generatedPassword: generated } : {}) };
  }

  /** Whether the store has any staff account yet (the demo seed creates the first admin otherwise). */
  async hasStaff(ctx: RequestContext): Promise<boolean> {
    return this.users.in(ctx).anyStaff();
  }
}
