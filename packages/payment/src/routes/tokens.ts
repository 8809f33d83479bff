import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { idempotencyKeyed, problemResponses } from '@shopstack/kernel';
import { CardToken, CreateTokenInput } from '../schemas/token.js';
import type { PaymentRouteOptions } from './index.js';

/** Turning card details into a token, for shoppers (signed in or not). */
export const tokenRoutes: FastifyPluginAsync<PaymentRouteOptions> = async (fastify, { api, runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // A key keeps a fingerprint of the request body, and a fast digest of a card number is no secret
  // (with the last four digits and the expiry kept beside it, the numbers left are tried quickly):
  // this route's fingerprint is a memory-hard hash salted with the key, computed only when a key is sent.
  app.post(
    '/tokens',
    {
      ...idempotencyKeyed(runtime, { sensitiveBody: true }),
      schema: {
        operationId: 'createCardToken',
        tags: ['payment'],
        summary: 'Turn card details into a token that stands for the card for an hour',
        description:
          'Anyone may call it. The number (spaces and dashes between groups allowed) must pass the Luhn check ' +
          '(422 invalid_card_number) and the card must not be past its expiry month (422 card_expired). The number ' +
          'and CVC are given to the provider and kept nowhere: the answer, the database and the logs hold the brand, ' +
          'the last four digits and the expiry only, and no refusal repeats the number. The token authorizes one ' +
          'payment (POST /intents). With an Idempotency-Key, a retry answers the same token; the key keeps only a ' +
          'memory-hard, salted fingerprint of the card details, never a digest that could be reversed.',
        body: CreateTokenInput,
        response: {
          201: CardToken,
          ...problemResponses({
            422: ['invalid_card_number', 'card_expired', 'tokenization_unsupported'],
          }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await api.tokens.tokenize(request.ctx, request.body)),
  );
};
