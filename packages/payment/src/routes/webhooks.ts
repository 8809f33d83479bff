import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { idempotencyKeyed, parseJsonBody, problemResponses } from '@shopstack/kernel';
import { SIGNATURE_HEADER } from '../providers/test-gateway.js';
import { WebhookReceipt } from '../schemas/intent.js';
import type { PaymentRouteOptions } from './index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as sent: what a provider's signature covers. */
    rawBody: Buffer | null;
  }
}

/**
 * Webhooks of the providers. Signatures cover the body's bytes as sent, so this plugin keeps them
 * beside the parsed JSON (its own JSON parser, for its routes only; it parses as the kernel's does).
 */
export const webhookRoutes: FastifyPluginAsync<PaymentRouteOptions> = async (fastify, { runtime, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('rawBody', null);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  const providers = [...api.providers.values()];
  const names = providers.map((provider) => Type.Literal(provider.name));
  const bodies = providers.map((provider) => provider.webhookBody);

  app.post(
    '/webhooks/:provider',
    {
      ...idempotencyKeyed(runtime),
      schema: {
        operationId: 'receivePaymentWebhook',
        tags: ['payment-webhooks'],
        summary: "A provider's event about one of its charges (a refund made in its dashboard, say)",
        description:
          `The test gateway signs each event: header ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of ` +
          '"<t>.<body as sent>"> with the webhook secret (config payment.webhookSecret). A missing or wrong ' +
          'signature, or one older than 5 minutes, is refused (400 invalid_webhook_signature). Each event is ' +
          'applied once: a redelivery answers 200 with duplicate true and changes nothing.',
        params: Type.Object(
          { provider: names.length === 1 ? names[0]! : Type.Union(names) },
          { additionalProperties: false },
        ),
        headers: Type.Object({
          [SIGNATURE_HEADER]: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        body: bodies.length === 1 ? bodies[0]! : Type.Union(bodies),
        response: { 200: WebhookReceipt, ...problemResponses({ 400: ['invalid_webhook_signature'] }) },
      },
    },
    async (request) => {
      const provider = api.providers.get(request.params.provider)!;
      return api.webhooks.receive(request.ctx, provider, request.headers, request.rawBody ?? Buffer.alloc(0));
    },
  );
};
