import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { FastifyPluginAsync } from 'fastify';
import type { ShopApp } from '../src/app.js';
import { accessGuard, STAFF } from '../src/auth.js';
import { describeEachBackend } from './support/index.js';
import { probePlugin } from './support/probe-plugin.js';

interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description?: string }>;
}

describeEachBackend('route conventions', (backend) => {
  let shop: ShopApp;
  let paths: Record<string, Record<string, Operation>>;
  before(async () => {
    const extra: FastifyPluginAsync = async (app) => {
      app.get(
        '/conventions/public',
        { schema: { operationId: 'conventionsPublic', summary: 'Public' } },
        async () => ({}),
      );
      app.post(
        '/conventions/guarded',
        {
          onRequest: accessGuard(STAFF, 'post'),
          schema: { operationId: 'conventionsGuarded', summary: 'Guarded, without security of its own' },
        },
        async () => ({}),
      );
    };
    shop = await backend.buildApp({ services: [], plugins: [probePlugin(), extra] });
    paths = (await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths;
  });

  const buildWith = (plugin: FastifyPluginAsync) => backend.buildApp({ services: [], plugins: [plugin] });

  test('a route without an operationId cannot be registered, and the error names it', async () => {
    await assert.rejects(
      buildWith(async (app) => {
        app.get('/conventions/anonymous', { schema: { summary: 'No id' } }, async () => ({}));
      }),
      /GET \/conventions\/anonymous: every route declares schema\.operationId/,
    );
    await assert.rejects(
      buildWith(async (app) => {
        app.get('/conventions/no-schema', async () => ({}));
      }),
      /GET \/conventions\/no-schema/,
    );
    await assert.rejects(
      buildWith(async (app) => {
        app.get('/conventions/bad-id', { schema: { operationId: 'get bad id' } }, async () => ({}));
      }),
      /camelCase/,
    );
  });

  test('two routes cannot share an operationId', async () => {
    await assert.rejects(
      buildWith(async (app) => {
        app.get('/conventions/a', { schema: { operationId: 'sameName' } }, async () => ({}));
        app.get('/conventions/b', { schema: { operationId: 'sameName' } }, async () => ({}));
      }),
      /GET \/conventions\/b: operationId sameName is already used by GET \/conventions\/a/,
    );
  });

  test('a route that runs an access guard cannot claim to be public', async () => {
    await assert.rejects(
      buildWith(async (app) => {
        app.get(
          '/conventions/hides',
          { preHandler: accessGuard(STAFF, 'hide'), schema: { operationId: 'hides', security: [] } },
          async () => ({}),
        );
      }),
      /security says public, but the route runs an access guard/,
    );
  });

  test('public operations document security: [] and guarded ones the bearer token with its 401 and 403', () => {
    assert.deepEqual(paths['/conventions/public']!.get!.security, []);
    assert.deepEqual(paths['/probe/{id}']!.get!.security, []);
    const guarded = paths['/conventions/guarded']!.post!;
    assert.deepEqual(guarded.security, [{ bearerAuth: [] }]);
    assert.ok(guarded.responses['401'], 'the 401 is documented');
    assert.ok(guarded.responses['403'], 'the 403 is documented');
    assert.deepEqual(paths['/probe/staff']!.get!.security, [{ bearerAuth: [] }]);
  });

  test('every operation has its operationId and at least one 4xx answer', () => {
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        assert.match(operation.operationId ?? '', /^[a-z][A-Za-z0-9]*$/, `${method} ${path}`);
        assert.ok(
          Object.keys(operation.responses).some((status) => status.startsWith('4')),
          `${method} ${path} documents a 4xx`,
        );
      }
    }
    assert.equal(paths['/conventions/public']!.get!.operationId, 'conventionsPublic');
    assert.ok(
      paths['/health/live']!.get!.responses['4XX'],
      'the generic refusal is added where none is declared',
    );
  });

  test('the document names its servers and licence', async () => {
    const doc = (await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.deepEqual(doc.servers, [{ url: '/', description: 'This store' }]);
    assert.equal(doc.info.license.identifier, 'MIT');
  });
});
