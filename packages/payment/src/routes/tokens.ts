import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { problemResponses } from '@shopstack/kernel';
import { CardToken, CreateTokenInput } from '../schemas/token.js';
import type { PaymentRouteOptions } from './index.js';

/** Turning card details into a token, for shoppers (signed in or not). */
export const tokenRoutes: FastifyPluginAsync<PaymentRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // The one POST without Idempotency-Key: a key keeps a digest of the request body, and a digest of
  // a card number is no secret (with the last four digits and the expiry kept beside it, the few
  // million numbers left are hashed in seconds). Tokenizing twice is harmless: a token moves no money.
  app.post(
    '/tokens',
    {
      schema: {
        operationId: 'createCardToken',
        tags: ['payment'],
        summary: 'Turn card details into a token that stands for the card for an hour',
        description:
          'Anyone may call it. The number (spaces and dashes between groups allowed) must pass the Luhn check ' +
          '(422 invalid_card_number) and the card must not be past its expiry month (422 card_expired). The number ' +
          'and CVC are given to the provider and kept nowhere: the answer, the database and the logs hold the brand, ' +
          'the last four digits and the expiry only, and no refusal repeats the number. The token authorizes one ' +
          'payment (POST /intents). Idempotency-Key is not honoured here: its records would keep a digest of the ' +
          'card details; tokenizing twice only makes two tokens.',
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
