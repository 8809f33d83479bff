import {
  assertInput,
  Conflict,
  newId,
  NotFound,
  requireCustomer,
  Unauthorized,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import type { AddressRepository } from '../repositories/addresses.js';
import type { UserRepository } from '../repositories/users.js';
import { AddressInput, UpdateAddressInput, type Address } from '../schemas/profile.js';
import type { UsersTables } from '../tables.js';
import { addressView } from './views.js';

/** Addresses one customer may keep: enough for any household, too few to use the book as storage. */
export const MAX_ADDRESSES = 20;

function addressNotFound(id: string): NotFound {
  return new NotFound(`No address ${id} in your address book.`, { code: 'address_not_found' });
}

/**
 * A customer's address book. Every read and write names the owner (the repository filters by it),
 * so another customer's address is simply not found. At most one address is the default.
 */
export class AddressBook {
  constructor(
    private readonly runtime: ServiceRuntime<UsersTables>,
    private readonly users: UserRepository,
    private readonly addresses: AddressRepository,
  ) {}

  async list(ctx: RequestContext): Promise<Address[]> {
    const owner = requireCustomer(ctx, 'see your addresses');
    return (await this.addresses.in(ctx).list(owner)).map(addressView);
  }

  async get(ctx: RequestContext, id: string): Promise<Address> {
    const owner = requireCustomer(ctx, 'see your addresses');
    const row = await this.addresses.in(ctx).find(owner, id);
    if (!row) throw addressNotFound(id);
    return addressView(row);
  }

  /** Adds an address; the first one, or one marked so, becomes the default. */
  async add(ctx: RequestContext, input: AddressInput): Promise<Address> {
    const owner = requireCustomer(ctx, 'change your addresses');
    assertInput(AddressInput, input);
    return this.runtime.uow.transaction(ctx, async (ctx) => {
      // The owner's row is locked so that concurrent additions count one after another.
      if (!(await this.users.in(ctx).lockActive(owner))) {
        throw new Unauthorized('The account of this token no longer exists.', { code: 'invalid_token' });
      }
      const addresses = this.addresses.in(ctx);
      const count = await addresses.count(owner);
      if (count >= MAX_ADDRESSES) {
        throw new Conflict(`An address book holds at most ${MAX_ADDRESSES} addresses.`, {
          code: 'address_book_full',
        });
      }
      const isDefault = input.isDefault ?? count === 0;
      if (isDefault) await addresses.clearDefault(owner);
      const row = await addresses.insert({
        id: newId(),
        user_id: owner,
        label: input.label ?? null,
        recipient: input.recipient,
        line1: input.line1,
        line2: input.line2 ?? null,
        city: input.city,
        postal_code: input.postalCode,
        region: input.region ?? null,
        country: input.country,
        phone: input.phone ?? null,
        is_default: isDefault,
      });
      return addressView(row);
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateAddressInput): Promise<Address> {
    const owner = requireCustomer(ctx, 'change your addresses');
    assertInput(UpdateAddressInput, input);
    return this.runtime.uow.transaction(ctx, async (ctx) => {
      if (!(await this.users.in(ctx).lockActive(owner))) throw addressNotFound(id);
      const addresses = this.addresses.in(ctx);
      if (input.isDefault === true) await addresses.clearDefault(owner);
      const row = await addresses.update(owner, id, {
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.recipient !== undefined ? { recipient: input.recipient } : {}),
        ...(input.line1 !== undefined ? { line1: input.line1 } : {}),
        ...(input.line2 !== undefined ? { line2: input.line2 } : {}),
        ...(input.city !== undefined ? { city: input.city } : {}),
        ...(input.postalCode !== undefined ? { postal_code: input.postalCode } : {}),
        ...(input.region !== undefined ? { region: input.region } : {}),
        ...(input.country !== undefined ? { country: input.country } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.isDefault !== undefined ? { is_default: input.isDefault } : {}),
      });
      // Throwing rolls back the cleared default too.
      if (!row) throw addressNotFound(id);
      return addressView(row);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const owner = requireCustomer(ctx, 'change your addresses');
    if (!(await this.addresses.in(ctx).delete(owner, id))) throw addressNotFound(id);
  }
}
