import type { ShopApp } from '@shopstack/kernel';
import { describeBadInputSweep, type Operation, type SweepExamples } from '@shopstack/kernel/testing';
import { paymentService } from '../src/index.js';
import { authorized, captured, paymentStaff, signed, tokenize, unique, WEBHOOK_SECRET } from './support.js';

/** An authorized and a captured intent, and a valid body for every payment operation that takes one. */
async function prepare(shop: ShopApp): Promise<SweepExamples> {
  const open = await authorized(shop, { amount: 5000 });
  const paid = await captured(shop, { amount: 5000 });
  const { token } = await tokenize(shop);
  const webhook = {
    id: 'evt_sweep1',
    type: 'charge.refunded',
    created: 1_700_000_000,
    data: { charge: 'ch_sweep', amountCaptured: 100, amountRefunded: 100, voided: false },
  };
  const webhookJson = JSON.stringify(webhook);

  return {
    pathPrefix: '/api/payment',
    validBodies: {
      'POST /api/payment/tokens': {
        number: '4242 4242 4242 4242',
        expMonth: 12,
        expYear: new Date().getUTCFullYear() + 2,
        cvc: '123',
      },
      'POST /api/payment/intents': {
        token,
        amount: 1250,
        currency: 'EUR',
        reference: unique('sweep-new'),
        customerId: 'sweep-customer',
        email: 'sweep@example.com',
      },
      'POST /api/payment/intents/{id}/capture': { amount: 4000 },
      'POST /api/payment/intents/{id}/refunds': { amount: 100, reason: 'sweep', reference: 'sweep-refund' },
      'POST /api/payment/webhooks/{provider}': webhook,
    },
    // Real rows for reads and writes with a body; names of nothing for writes without one (they would act).
    pathParams(operation: Operation) {
      const acts = operation.method !== 'GET' && !operation.spec.requestBody;
      return {
        id: acts ? 'missing-id' : operation.path.endsWith('/refunds') ? paid.id : open.id,
        provider: 'test',
      };
    },
    // Staff credentials everywhere; the webhook's signature is made afresh for its valid body.
    headersFor: (operation: Operation) =>
      operation.path.includes('/webhooks/')
        ? { ...paymentStaff, 'shopstack-signature': signed(webhookJson)['shopstack-signature']! }
        : paymentStaff,
  };
}

describeBadInputSweep('payment', {
  build: (backend) =>
    backend.buildApp({ services: [paymentService], config: { payment: { webhookSecret: WEBHOOK_SECRET } } }),
  prepare,
  minOperations: 8,
  minRequests: 900,
});
