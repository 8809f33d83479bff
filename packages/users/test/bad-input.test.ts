import assert from 'node:assert/strict';
import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { bearer, HOME, PASSWORD, register, staffMember } from './helpers.js';

/** Accounts and an address to address, and a valid body for every users operation that takes one. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const customer = await register(shop);
  const address = await shop.app.inject({
    method: 'POST',
    url: '/api/users/me/addresses',
    headers: bearer(customer.accessToken),
    payload: HOME,
  });
  assert.equal(address.statusCode, 201, address.body);
  const addressId = (address.json() as { id: string }).id;
  // A second customer, whose password the password route may change.
  const passwordChanger = await register(shop);
  const admin = await staffMember(shop, 'admin');
  // The token of a deleted account: deleting "me" with it acts on nothing.
  const ghost = await register(shop);
  const gone = await shop.app.inject({
    method: 'DELETE',
    url: '/api/users/me',
    headers: bearer(ghost.accessToken),
  });
  assert.equal(gone.statusCode, 204);

  return {
    pathPrefix: '/api/users/',
    validBodies: {
      'POST /api/users/register': {
        email: 'sweep-new@example.com',
        password: PASSWORD,
        name: 'Sweep',
        phone: '+1 555 0100',
      },
      'POST /api/users/login': { email: customer.email, password: PASSWORD },
      'POST /api/users/refresh': { refreshToken: customer.refreshToken },
      // An unknown token: logging out with it ends nothing, as the sweep requires.
      'POST /api/users/logout': { refreshToken: 'x'.repeat(43) },
      'PATCH /api/users/me': { name: 'Sweep Renamed', phone: '+1 555 0101' },
      'POST /api/users/me/password': { currentPassword: PASSWORD, newPassword: 'another sweep password' },
      'POST /api/users/me/addresses': {
        ...HOME,
        line2: 'Flat 2',
        region: 'Greater London',
        phone: '+44 20 7946 0001',
        isDefault: false,
      },
      'PATCH /api/users/me/addresses/{id}': {
        ...HOME,
        city: 'Bath',
        line2: null,
        region: null,
        phone: null,
        isDefault: true,
      },
      'POST /api/users/staff': {
        email: 'sweep-staff@example.com',
        name: 'Sweep Staff',
        role: 'staff',
        password: 'sweep staff password',
      },
    },
    pathParams(operation: Operation) {
      const acts = operation.method !== 'GET' && !operation.spec.requestBody;
      const id = operation.path.includes('/customers/') ? customer.user.id : addressId;
      return { id: acts ? 'missing-id' : id };
    },
    headersFor(operation: Operation) {
      if (operation.path.endsWith('/staff') || operation.path.includes('/customers'))
        return bearer(admin.accessToken);
      if (operation.path.endsWith('/me/password')) return bearer(passwordChanger.accessToken);
      if (operation.method === 'DELETE' && operation.path === '/api/users/me')
        return bearer(ghost.accessToken);
      return bearer(customer.accessToken);
    },
  };
}

describeBadInputSweep('users', {
  build: (backend) => backend.buildApp({ services: [usersService] }),
  prepare,
  minOperations: 17,
  minRequests: 1124,
});
