import { after } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import type { MessageList } from '../src/schemas/messages.js';
import {
  buildFailingShop,
  deliver,
  notificationsApi,
  paidEvent,
  paidOrder,
  staffHeaders,
} from './support.js';

const MISSING = '01900000-0000-7000-8000-000000000000';

/** A failed message to address (the sender's loop is idle, so no table moves during the sweep). */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const order = await paidOrder(shop);
  await deliver(shop, paidEvent(shop, order));
  await notificationsApi(shop).sender.sendDue();
  const list = await shop.app.inject({
    method: 'GET',
    url: '/api/notifications/admin/messages',
    headers: staffHeaders,
  });
  const [message] = (list.json() as MessageList).items;
  return {
    pathPrefix: '/api/notifications/',
    validBodies: {},
    // The retry takes no body: it gets an id that does not exist, or a junk query would retry for real.
    pathParams(operation: Operation) {
      return { id: operation.method !== 'GET' ? MISSING : message!.id };
    },
    headersFor: () => staffHeaders,
  };
}

const removeDirs: Array<() => Promise<void>> = [];
after(async () => {
  for (const remove of removeDirs) await remove();
});

describeBadInputSweep('notifications', {
  async build(backend) {
    const { shop, remove } = await buildFailingShop(backend);
    removeDirs.push(remove);
    return shop;
  },
  prepare,
  minOperations: 3,
  minRequests: 211,
});
