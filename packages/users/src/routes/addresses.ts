import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { accessGuard, CUSTOMERS, problemResponses } from '@shopstack/kernel';
import { IdParams } from '../schemas/common.js';
import { Address, AddressInput, AddressList, UpdateAddressInput } from '../schemas/profile.js';
import type { UsersRouteOptions } from './index.js';

/** A customer's own address book. */
export const addressRoutes: FastifyPluginAsync<UsersRouteOptions> = async (fastify, { api }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['addresses'];
  const onRequest = accessGuard(CUSTOMERS, 'use an address book');
  const notFound = problemResponses({ 404: ['address_not_found'] });

  app.get(
    '/me/addresses',
    {
      onRequest,
      schema: {
        operationId: 'listAddresses',
        tags,
        summary: 'Your addresses, the default first',
        response: { 200: AddressList },
      },
    },
    async (request) => ({ items: await api.addressBook.list(request.ctx) }),
  );

  app.post(
    '/me/addresses',
    {
      onRequest,
      schema: {
        operationId: 'addAddress',
        tags,
        summary: 'Add an address',
        description: 'The first address, or one sent with isDefault: true, becomes the default.',
        body: AddressInput,
        response: { 201: Address, ...problemResponses({ 409: ['address_book_full'] }) },
      },
    },
    async (request, reply) => reply.code(201).send(await api.addressBook.add(request.ctx, request.body)),
  );

  app.get(
    '/me/addresses/:id',
    {
      onRequest,
      schema: {
        operationId: 'getAddress',
        tags,
        summary: 'One of your addresses',
        params: IdParams,
        response: { 200: Address, ...notFound },
      },
    },
    async (request) => api.addressBook.get(request.ctx, request.params.id),
  );

  app.patch(
    '/me/addresses/:id',
    {
      onRequest,
      schema: {
        operationId: 'updateAddress',
        tags,
        summary: 'Change one of your addresses',
        params: IdParams,
        body: UpdateAddressInput,
        response: { 200: Address, ...notFound },
      },
    },
    async (request) => api.addressBook.update(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/me/addresses/:id',
    {
      onRequest,
      schema: {
        operationId: 'deleteAddress',
        tags,
        summary: 'Remove one of your addresses',
        params: IdParams,
        response: { 204: Type.Null({ description: 'The address is removed' }), ...notFound },
      },
    },
    async (request, reply) => {
      await api.addressBook.remove(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
