import type { ServiceRuntime } from '@shopstack/kernel';
import type { PaymentClient } from './client.js';
import type { PaymentProvider } from './providers/provider.js';
import { TestGateway } from './providers/test-gateway.js';
import { IntentService } from './services/intents.js';
import { PaymentService } from './services/payments.js';
import { TokenService } from './services/tokens.js';
import { WebhookService } from './services/webhooks.js';
import type { PaymentTables } from './tables.js';

/** Options of the payment service, given where it is defined (createPaymentService). */
export interface PaymentServiceOptions {
  /**
   * The providers money moves through; the first one tokenizes new cards. The test gateway alone
   * (signing webhooks with config payment.webhookSecret) by default.
   */
  providers?: (runtime: ServiceRuntime<PaymentTables>) => PaymentProvider[];
}

/** The payment service's domain API in one process. */
export interface PaymentApi {
  tokens: TokenService;
  payments: PaymentService;
  intents: IntentService;
  webhooks: WebhookService;
  /** The configured providers, by name. */
  providers: ReadonlyMap<string, PaymentProvider>;
}

export function createPaymentApi(
  runtime: ServiceRuntime<PaymentTables>,
  options: PaymentServiceOptions = {},
): PaymentApi {
  const list = options.providers?.(runtime) ?? [
    new TestGateway({ webhookSecret: runtime.config.payment.webhookSecret }),
  ];
  if (list.length === 0) throw new Error('payment: at least one provider is needed');
  const providers = new Map(list.map((provider) => [provider.name, provider]));
  return {
    tokens: new TokenService(runtime, list[0]!),
    payments: new PaymentService(runtime, providers),
    intents: new IntentService(runtime),
    webhooks: new WebhookService(runtime),
    providers,
  };
}

export function inProcessPaymentClient(api: PaymentApi): PaymentClient {
  return {
    authorize: async (ctx, input) => (await api.payments.authorize(ctx, input)).intent,
    capture: (ctx, intentId, input) => api.payments.capture(ctx, intentId, input ?? {}),
    voidIntent: (ctx, intentId) => api.payments.voidIntent(ctx, intentId),
    refund: async (ctx, intentId, input) => (await api.payments.refund(ctx, intentId, input)).intent,
    getIntent: (ctx, intentId) => api.intents.get(ctx, intentId),
    findIntentByReference: (ctx, reference) => api.intents.findByReference(ctx, reference),
  };
}
