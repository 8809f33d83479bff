import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { ShopApp } from '../src/app.js';
import { describeEachBackend } from './support/index.js';

/** Routes that echo what passed validation, so a test can tell refused input from stored input. */
const echoPlugin: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/echo/notes',
    {
      schema: {
        operationId: 'echoNote',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1 }),
            tags: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.String())),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => reply.code(201).send(request.body),
  );
  app.post(
    '/echo/anything',
    { schema: { operationId: 'echoAnything', body: Type.Object({}, { additionalProperties: true }) } },
    async (request, reply) => reply.code(201).send(request.body),
  );
  app.get(
    '/echo/page',
    {
      schema: {
        operationId: 'echoPage',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            ratio: Type.Optional(Type.Number()),
            q: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => request.query,
  );
};

interface Problem {
  type: string;
  status: number;
  detail: string;
  code?: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
}

describeEachBackend('request text and numbers', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [echoPlugin] });
  });

  const post = (url: string, payload: string | Buffer) =>
    shop.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
  const problemOf = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    return res.json() as Problem;
  };

  test('a lone UTF-16 surrogate in a JSON string or key is refused with 400 naming the field, like U+0000', async () => {
    for (const [body, field] of [
      ['{"name":"ab\\ud800"}', 'name'],
      ['{"name":"\\udc00ab"}', 'name'],
      ['{"name":"x","tags":{"a":"\\ud83d"}}', 'tags.a'],
      ['{"name":"a\\u0000b"}', 'name'],
    ] as const) {
      const res = await post('/echo/notes', body);
      assert.equal(res.statusCode, 400, `${body}: ${res.body}`);
      const problem = problemOf(res);
      assert.equal(problem.field, field, body);
      assert.match(problem.detail, /U\+0000|lone UTF-16 surrogate/, body);
    }
    const pair = await post('/echo/notes', '{"name":"\\ud83d\\ude00"}');
    assert.equal(pair.statusCode, 201, 'a well-formed surrogate pair is a character like any other');
    assert.equal(pair.json().name, '😀');
  });

  test('bytes that are not UTF-8 in a JSON body are refused with 400 invalid_utf8 naming the field, not stored as U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await post('/echo/notes', body);
    assert.equal(res.statusCode, 400, res.body);
    const problem = problemOf(res);
    assert.equal(problem.code, 'invalid_utf8');
    assert.equal(problem.field, 'name');
    assert.match(problem.detail, /^body name is not valid UTF-8/);

    const latin1 = await post('/echo/notes', Buffer.from('{"name":"café"}', 'latin1'));
    assert.equal(latin1.statusCode, 400);
    assert.equal(problemOf(latin1).code, 'invalid_utf8');

    const valid = await post('/echo/notes', Buffer.from('{"name":"café \uFFFD"}', 'utf8'));
    assert.equal(valid.statusCode, 201, 'U+FFFD sent as a character is text like any other');
    assert.equal(valid.json().name, 'café \uFFFD');
  });

  test('a __proto__ or constructor key is refused with 400 forbidden_key naming the key, not called invalid JSON', async () => {
    for (const [body, field, key] of [
      ['{"__proto__":{"polluted":true}}', '__proto__', '__proto__'],
      ['{"a":{"constructor":{"prototype":{"polluted":true}}}}', 'a.constructor', 'constructor'],
      ['{"list":[{"\\u005f_proto__":1}]}', 'list.0.__proto__', '__proto__'],
    ] as const) {
      const res = await post('/echo/anything', body);
      assert.equal(res.statusCode, 400, `${body}: ${res.body}`);
      const problem = problemOf(res) as Problem & { key?: string };
      assert.equal(problem.code, 'forbidden_key', body);
      assert.equal(problem.field, field, body);
      assert.equal(problem.key, key, body);
      assert.doesNotMatch(problem.detail, /not valid JSON/, body);
      assert.match(problem.detail, new RegExp(`${key} is a key JSON bodies may not hold`), body);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const broken = await post('/echo/anything', '{"a":');
    assert.equal(broken.statusCode, 400);
    assert.match(problemOf(broken).detail, /not valid JSON/);
  });

  test('a problem with a whole body or query names the part once, not "body body"', async () => {
    const res = await post('/echo/notes', '[1,2]');
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.field, 'body');
    assert.equal(problem.detail, 'body must be object');
    const named = await post('/echo/notes', '{"name":5}');
    assert.equal(problemOf(named).detail, 'body name must be string');
  });

  test('integers in a query string are read from decimal digits only: 0x10, 1e1, " 16", "+16" and "16.0" are 400s', async () => {
    const ok = await shop.app.inject({ url: '/echo/page?limit=16&ratio=0.5' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { limit: 16, ratio: 0.5 });
    assert.equal((await shop.app.inject({ url: '/echo/page' })).json().limit, 20);

    for (const value of ['0x10', '1e1', '%2016', '%2B16', '16.0', '0b10', '0o20', '16%20', '', 'Infinity']) {
      const res = await shop.app.inject({ url: `/echo/page?limit=${value}` });
      assert.equal(res.statusCode, 400, `limit=${value}: ${res.body}`);
      const problem = problemOf(res);
      assert.equal(problem.field, 'limit', value);
      assert.match(problem.detail, /^querystring limit must be an integer written in decimal digits/, value);
    }
    for (const value of ['1e1', '0x1', '.5']) {
      const res = await shop.app.inject({ url: `/echo/page?ratio=${value}` });
      assert.equal(res.statusCode, 400, `ratio=${value}: ${res.body}`);
      assert.equal(problemOf(res).field, 'ratio');
    }
  });
});
