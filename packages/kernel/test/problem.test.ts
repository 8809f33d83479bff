import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { PROBLEM_BASE } from '../src/problem.js';
import { describeEachBackend } from './support/index.js';
import { INTERNAL_SECRET, probePlugin } from './support/probe-plugin.js';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
  requestId?: string;
}

function problemOf(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}): ProblemBody {
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, res.statusCode, 'the body repeats the HTTP status');
  assert.ok(body.type.startsWith(PROBLEM_BASE), body.type);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.match(String(body.code), /^[a-z][a-z0-9_]*$/, 'a machine-readable code');
  assert.equal(body.requestId, res.headers['x-request-id'], 'the problem carries the request id');
  return body;
}

describeEachBackend('problem+json responses', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({
      services: [],
      plugins: [probePlugin()],
      config: { server: { bodyLimit: 2048 } },
    });
  });

  const postItem = (payload: unknown) =>
    shop.app.inject({ method: 'POST', url: '/probe/items', payload: payload as object });

  test('a valid body passes validation untouched', async () => {
    const res = await postItem({ name: 'Red shoe', quantity: 2 });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json(), { name: 'Red shoe', quantity: 2 });
  });

  test('an unknown body property is a 400 naming the property', async () => {
    const res = await postItem({ name: 'Red shoe', quantity: 2, price: 1 });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.type, `${PROBLEM_BASE}validation`);
    assert.equal(problem.field, 'price');
    assert.deepEqual(problem.errors, [{ field: 'price', message: 'is not allowed' }]);
    assert.match(problem.detail!, /price/);
  });

  test('a number sent as a string in the body is rejected, not coerced', async () => {
    const res = await postItem({ name: 'Red shoe', quantity: '2' });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.field, 'quantity');
    assert.match(problem.errors![0]!.message, /integer/);
  });

  test('every problem of a body is listed, missing required properties included', async () => {
    const res = await postItem({ quantity: 0, colour: 'red' });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    const byField = new Map(problem.errors!.map((e) => [e.field, e.message]));
    assert.equal(byField.get('name'), 'is required');
    assert.equal(byField.get('colour'), 'is not allowed');
    assert.match(byField.get('quantity') ?? '', />= 1/);
    assert.ok(byField.has(problem.field!), 'field names one of the listed errors');
  });

  test('a query value of the wrong type is a 400 naming the query parameter', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/p-1?limit=many' });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.field, 'limit');
    assert.match(problem.detail!, /^querystring limit/);
  });

  test('query and path values are coerced from text', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/p-1?limit=25' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { id: 'p-1', limit: 25 });
  });

  test('an unknown query parameter and an invalid path parameter are rejected', async () => {
    const unknown = await shop.app.inject({ method: 'GET', url: '/probe/p-1?sort=price' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(problemOf(unknown).field, 'sort');

    const badParam = await shop.app.inject({ method: 'GET', url: '/probe/NOT_A_SLUG' });
    assert.equal(badParam.statusCode, 400);
    assert.equal(problemOf(badParam).field, 'id');
  });

  const domainCases = [
    { kind: 'not-found', status: 404, title: 'Not Found' },
    { kind: 'conflict', status: 409, title: 'Conflict' },
    { kind: 'invalid-state', status: 409, title: 'Invalid State' },
    { kind: 'forbidden', status: 403, title: 'Forbidden' },
    { kind: 'unauthorized', status: 401, title: 'Unauthorized' },
    { kind: 'invalid-input', status: 422, title: 'Unprocessable Content' },
  ];
  for (const { kind, status, title } of domainCases) {
    test(`a ${kind} domain error becomes a ${status} problem with its message`, async () => {
      const res = await shop.app.inject({ method: 'GET', url: `/probe/errors/${kind}` });
      assert.equal(res.statusCode, status);
      const problem = problemOf(res);
      assert.equal(problem.type, `${PROBLEM_BASE}${kind}`);
      assert.equal(problem.title, title);
      assert.ok(problem.detail!.length > 0);
    });
  }

  test('another service that cannot answer is a 503 problem with Retry-After', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/errors/unavailable' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    const problem = problemOf(res);
    assert.equal(problem.code, 'unavailable');
    assert.equal((problem as { service?: string }).service, 'catalogue');
    assert.ok(!res.body.includes('http://catalogue'), 'what went wrong upstream is logged, not sent');
  });

  test('an invalid parameter is answered like a schema validation error: 400 naming the field', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/errors/invalid-parameter' });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.type, `${PROBLEM_BASE}validation`);
    assert.equal(problem.field, 'cursor');
    assert.deepEqual(problem.errors, [{ field: 'cursor', message: 'is not a cursor of this listing' }]);
  });

  test('invalid input names the offending field and conflicts carry their details', async () => {
    const invalid = problemOf(await shop.app.inject({ method: 'GET', url: '/probe/errors/invalid-input' }));
    assert.equal(invalid.field, 'variants.0.compareAtPrice');
    assert.equal(invalid.detail, 'compareAtPrice must exceed price.');

    const conflict = problemOf(
      await shop.app.inject({ method: 'GET', url: '/probe/errors/conflict' }),
    ) as ProblemBody & {
      slug?: string;
    };
    assert.equal(conflict.slug, 'red-shoe');
  });

  test('an unexpected error is a 500 problem that does not leak its message', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/probe/errors/crash' });
    assert.equal(res.statusCode, 500);
    const problem = problemOf(res);
    assert.equal(problem.type, `${PROBLEM_BASE}internal`);
    assert.equal(problem.detail, 'An unexpected error occurred.');
    assert.ok(!res.body.includes('hunter2'), 'no secret in the body');
    assert.ok(!res.body.includes(INTERNAL_SECRET), 'no error message in the body');
    assert.ok(!/at .*\.ts:\d+/.test(res.body), 'no stack trace in the body');
  });

  test('an unknown route is a 404 problem', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/no/such/route?x=1' });
    assert.equal(res.statusCode, 404);
    const problem = problemOf(res);
    assert.equal(problem.type, `${PROBLEM_BASE}not-found`);
    assert.equal(problem.detail, 'No route for GET /no/such/route');
  });

  test('a body over the limit is a 413 problem', async () => {
    const res = await postItem({ name: 'x'.repeat(4096), quantity: 1 });
    assert.equal(res.statusCode, 413);
    const problem = problemOf(res);
    assert.equal(problem.title, 'Content Too Large');
    assert.equal(problem.code, 'body_too_large');
  });

  test('malformed JSON is a 400 problem', async () => {
    const res = await shop.app.inject({
      method: 'POST',
      url: '/probe/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Red shoe", "quantity": ',
    });
    assert.equal(res.statusCode, 400);
    const problem = problemOf(res);
    assert.equal(problem.title, 'Bad Request');
    assert.match(problem.detail!, /JSON/);
  });
});
