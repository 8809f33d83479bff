import { defineService, type ServiceDefinition } from '@shopstack/kernel';
import {
  createPaymentApi,
  inProcessPaymentClient,
  type PaymentApi,
  type PaymentServiceOptions,
} from './api.js';
import type { PaymentClient } from './client.js';
import { HttpPaymentClient } from './http-client.js';
import { migrations } from './migrations/index.js';
import { paymentRoutes } from './routes/index.js';
import type { PaymentTables } from './tables.js';

export type { PaymentApi, PaymentServiceOptions } from './api.js';
export type { PaymentClient } from './client.js';
export { HttpPaymentClient } from './http-client.js';
export type {
  AuthorizeRequest,
  CardInput,
  ChargeRequest,
  Decline,
  PaymentProvider,
  ProviderEvent,
  ProviderOutcome,
  TokenCard,
  TokenizedCard,
} from './providers/provider.js';
export { signTestGatewayWebhook, TEST_CARDS, TestGateway } from './providers/test-gateway.js';
export type {
  AuthorizeInput,
  IntentListQuery,
  IntentPage,
  PaymentIntent,
  PaymentRefund,
  RefundInput,
} from './schemas/intent.js';
export type { CardToken, CreateTokenInput } from './schemas/token.js';

declare module '@shopstack/kernel' {
  interface ServiceClients {
    payment: PaymentClient;
  }
}

/** The payment service with its options (the providers money moves through, say). */
export function createPaymentService(
  options: PaymentServiceOptions = {},
): ServiceDefinition<PaymentApi, PaymentClient, PaymentTables> {
  return defineService<PaymentApi, PaymentClient, PaymentTables>({
    name: 'payment',
    description: 'Card tokens, payment intents (authorize, capture, void, refund) and provider webhooks',
    migrations,
    create: (runtime) => createPaymentApi(runtime, options),
    routes: paymentRoutes,
    inProcessClient: inProcessPaymentClient,
    httpClient: (httpOptions) => new HttpPaymentClient(httpOptions),
  });
}

/** Payments through the built-in test gateway: card tokens, intents, refunds, webhooks. */
export const paymentService = createPaymentService();
