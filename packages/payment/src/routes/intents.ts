import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, idempotencyKeyed, problemResponses } from '@shopstack/kernel';
import { IntentParams } from '../schemas/common.js';
import {
  AuthorizeInput,
  CaptureInput,
  IntentListQuery,
  IntentPage,
  PaymentIntent,
  RefundInput,
} from '../schemas/intent.js';
import { CHARGES } from '../services/access.js';
import type { PaymentRouteOptions } from './index.js';

const NOT_FOUND = ['payment_intent_not_found'];
const STATE = 'invalid_payment_state';
const KEYED =
  'Send an Idempotency-Key: a retry with the same key and body answers the first answer again and moves no ' +
  'money twice; the same key with another body is refused (422 idempotency_key_reused).';

/** Payment intents: checkout (the orders service) and staff move money; customers read their own. */
export const intentRoutes: FastifyPluginAsync<PaymentRouteOptions> = async (fastify, { runtime, api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const charges = accessGuard(CHARGES, 'move payments');
  const keyed = idempotencyKeyed(runtime);
  const tags = ['payment'];
  const { payments, intents } = api;

  app.post(
    '/intents',
    {
      onRequest: charges,
      ...keyed,
      schema: {
        operationId: 'authorizePayment',
        tags,
        summary: 'Authorize an amount on a card token for a reference (a checkout)',
        description:
          '201 with the authorized intent; 200 with the same intent when the reference was authorized before ' +
          '(once, however often it is sent, concurrently too). A declined card answers 402 card_declined or ' +
          'insufficient_funds, and the reference keeps that failure: sending it again answers the same 402. The ' +
          'same reference with another amount, currency or token: 409 payment_reference_reused. The token is ' +
          `consumed only by a successful authorization. ${KEYED}`,
        body: AuthorizeInput,
        response: {
          200: PaymentIntent,
          201: PaymentIntent,
          ...problemResponses({
            402: ['card_declined', 'insufficient_funds'],
            404: ['payment_token_not_found'],
            409: ['payment_reference_reused'],
            422: ['payment_token_expired', 'payment_token_used'],
          }),
        },
      },
    },
    async (request, reply) => {
      const { intent, created } = await payments.authorize(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(intent);
    },
  );

  app.get(
    '/intents',
    {
      onRequest: accessGuard({ ...CHARGES, customer: true }, 'see payments'),
      schema: {
        operationId: 'listPaymentIntents',
        tags,
        summary: 'Payment intents, newest first, a page at a time',
        description:
          "A customer sees their own; staff and the orders service see every intent. Filters: the intent's " +
          'reference (the orders service finds the intent of a checkout so), its status.',
        querystring: IntentListQuery,
        response: { 200: IntentPage },
      },
    },
    async (request) => intents.list(request.ctx, request.query),
  );

  app.get(
    '/intents/:id',
    {
      schema: {
        operationId: 'getPaymentIntent',
        tags,
        summary: 'A payment intent',
        description:
          'Staff and the orders service see any intent, a customer the intents made for them. Anyone else, signed ' +
          'in or not, gets 404 payment_intent_not_found, as for an intent that does not exist (never 401 or 403).',
        params: IntentParams,
        response: { 200: PaymentIntent, ...problemResponses({ 404: NOT_FOUND }) },
      },
    },
    async (request) => intents.get(request.ctx, request.params.id),
  );

  app.post(
    '/intents/:id/capture',
    {
      onRequest: charges,
      ...keyed,
      schema: {
        operationId: 'capturePayment',
        tags,
        summary: 'Capture all, or part, of an authorized intent',
        description:
          'What is not captured is released. Capturing a captured intent answers it as it is. 402 capture_failed ' +
          'when the card issuer refuses: the intent stays authorized (capture again, or void it). 409 ' +
          `invalid_payment_state when it was voided or failed. ${KEYED}`,
        params: IntentParams,
        body: CaptureInput,
        response: {
          200: PaymentIntent,
          ...problemResponses({
            402: ['capture_failed'],
            404: NOT_FOUND,
            409: [STATE],
            422: ['capture_exceeds_authorized'],
          }),
        },
      },
    },
    async (request) => payments.capture(request.ctx, request.params.id, request.body),
  );

  app.post(
    '/intents/:id/void',
    {
      onRequest: charges,
      ...keyed,
      schema: {
        operationId: 'voidPayment',
        tags,
        summary: 'Release an authorization that will not be captured',
        description:
          'Voiding a voided or failed intent answers it as it is; a captured one is refunded instead (409 ' +
          `invalid_payment_state). Takes no body. ${KEYED}`,
        params: IntentParams,
        response: {
          200: PaymentIntent,
          ...problemResponses({ 402: ['void_failed'], 404: NOT_FOUND, 409: [STATE] }),
        },
      },
    },
    async (request) => payments.voidIntent(request.ctx, request.params.id),
  );

  app.post(
    '/intents/:id/refunds',
    {
      onRequest: charges,
      ...keyed,
      schema: {
        operationId: 'refundPayment',
        tags,
        summary: 'Refund all that is captured, or part of it',
        description:
          'Refunds of an intent are taken one at a time under its lock, so together they never exceed what was ' +
          'captured (409 refund_exceeds_captured). 201 with the intent when a refund was made; 200 when its ' +
          'reference was refunded before (nothing is refunded again; another amount under that reference is 409 ' +
          `refund_reference_reused). 409 invalid_payment_state before a capture. ${KEYED}`,
        params: IntentParams,
        body: RefundInput,
        response: {
          200: PaymentIntent,
          201: PaymentIntent,
          ...problemResponses({
            402: ['refund_failed'],
            404: NOT_FOUND,
            409: [STATE, 'refund_exceeds_captured', 'refund_reference_reused'],
          }),
        },
      },
    },
    async (request, reply) => {
      const { intent, created } = await payments.refund(request.ctx, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(intent);
    },
  );
};
