import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, problemResponses, STAFF } from '@shopstack/kernel';
import { Message, MessageList, MessageListQuery, MessageParams } from '../schemas/messages.js';
import type { NotificationsRouteOptions } from './index.js';

/** Staff endpoints for the customer e-mail queue. */
export const messageRoutes: FastifyPluginAsync<NotificationsRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = accessGuard(STAFF, 'manage customer e-mail');
  const tags = ['notifications-admin'];

  app.get(
    '/admin/messages',
    {
      onRequest,
      schema: {
        operationId: 'adminListMessages',
        tags,
        summary: 'Customer e-mails, newest first',
        description: 'Filter by status (pending, sent, failed) and order; pages follow nextCursor.',
        querystring: MessageListQuery,
        response: { 200: MessageList },
      },
    },
    async (request) => api.messages.listMessages(request.ctx, request.query),
  );

  app.get(
    '/admin/messages/:id',
    {
      onRequest,
      schema: {
        operationId: 'adminGetMessage',
        tags,
        summary: 'A customer e-mail with its plain-text and HTML bodies',
        params: MessageParams,
        response: { 200: Message, ...problemResponses({ 404: ['message_not_found'] }) },
      },
    },
    async (request) => api.messages.getMessage(request.ctx, request.params.id),
  );

  app.post(
    '/admin/messages/:id/retry',
    {
      onRequest,
      schema: {
        operationId: 'adminRetryMessage',
        tags,
        summary: 'Put a failed customer e-mail back in the queue',
        description: 'It gets a fresh set of attempts; a message that did not fail is refused.',
        params: MessageParams,
        response: {
          200: Message,
          ...problemResponses({ 404: ['message_not_found'], 409: ['message_not_failed'] }),
        },
      },
    },
    async (request) => api.messages.retryMessage(request.ctx, request.params.id),
  );
};
