import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { describeEachBackend } from './support/index.js';
import { probePlugin } from './support/probe-plugin.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every route the app serves, from Fastify's own route table (HEAD twins of GET routes left out). */
function registeredRoutes(shop: ShopApp): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  for (const line of shop.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /── (\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!match) continue;
    for (const method of match[2]!.split(', '))
      if (method !== 'HEAD') routes.push({ method, url: match[1]! });
  }
  return routes;
}

/** Parses Prometheus text lines `name{labels} value` of one metric into label maps and values. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels: Record<string, string> = {};
    for (const [, key, value] of line.slice(name.length + 1, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    out.push({ labels, value: Number(line.slice(close + 1).trim()) });
  }
  return out;
}

describeEachBackend('kernel app', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin()] });
  });

  test('a valid incoming x-request-id is echoed back', async () => {
    const id = 'edge-7f3a.42:abc_DEF';
    const res = await shop.app.inject({ method: 'GET', url: '/probe/p-1', headers: { 'x-request-id': id } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-request-id'], id);
  });

  test('without an incoming id every response gets a fresh one', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => shop.app.inject({ method: 'GET', url: `/probe/p-${i}` })),
    );
    const ids = responses.map((res) => String(res.headers['x-request-id']));
    for (const id of ids) assert.match(id, UUID);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('an invalid incoming id is replaced, on error responses too', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(129), 'inject<script>']) {
      const res = await shop.app.inject({
        method: 'GET',
        url: '/no/route',
        headers: { 'x-request-id': bad },
      });
      const echoed = String(res.headers['x-request-id']);
      assert.match(echoed, UUID);
      assert.equal(res.json().requestId, echoed);
    }
  });

  test('a method a path does not answer is a 405 problem listing the methods it does', async () => {
    const cases = [
      { method: 'POST', url: '/probe/p-1', allow: 'GET, HEAD' },
      { method: 'DELETE', url: '/health/live?verbose=1', allow: 'GET, HEAD' },
      // /probe/items is also a value of /probe/:id, so GET answers there too.
      { method: 'PUT', url: '/probe/items/', allow: 'GET, HEAD, POST' },
    ] as const;
    for (const { method, url, allow } of cases) {
      const res = await shop.app.inject({ method, url });
      assert.equal(res.statusCode, 405, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.headers.allow, allow, `${method} ${url}`);
      const problem = res.json();
      assert.equal(problem.code, 'method_not_allowed');
      assert.equal(problem.title, 'Method Not Allowed');
      assert.equal(problem.status, 405);
      assert.match(problem.detail, new RegExp(method));
      assert.equal(problem.requestId, res.headers['x-request-id']);
    }
  });

  test('a path no route answers stays a 404 without an Allow header', async () => {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await shop.app.inject({ method, url: '/probe/p-1/deeper' });
      assert.equal(res.statusCode, 404, method);
      assert.equal(res.headers.allow, undefined);
      assert.equal(res.json().code, 'not_found');
    }
  });

  test('metrics count requests by route pattern, method and status, next to process metrics', async () => {
    const { app } = await backend.buildApp({ services: [], plugins: [probePlugin()] });
    for (const id of ['p-1', 'p-2', 'p-3']) {
      assert.equal((await app.inject({ method: 'GET', url: `/probe/${id}` })).statusCode, 200);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/probe/p-4?limit=0' })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/missing-page-123' })).statusCode, 404);

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const text = res.body;

    const buckets = samples(text, 'http_request_duration_seconds_bucket');
    const probeOk = buckets.filter(
      (s) => s.labels.route === '/probe/:id' && s.labels.method === 'GET' && s.labels.status_code === '200',
    );
    assert.ok(probeOk.length > 0, 'a bucket series for the route pattern exists');
    assert.equal(probeOk.find((s) => s.labels.le === '+Inf')?.value, 3);
    assert.ok(
      probeOk.every((s) => s.labels.store === 'demo'),
      'series carry the store label',
    );

    const counts = samples(text, 'http_request_duration_seconds_count');
    const count = (route: string, status: string) =>
      counts.find((s) => s.labels.route === route && s.labels.status_code === status)?.value;
    assert.equal(count('/probe/:id', '400'), 1);
    assert.equal(count('unmatched', '404'), 1);

    assert.ok(!text.includes('/probe/p-1'), 'raw URLs never become labels');
    assert.ok(!text.includes('missing-page-123'), 'unknown paths never become labels');
    assert.match(text, /^(process_cpu_user_seconds_total|nodejs_heap_size_total_bytes)\{/m);
  });

  test('the OpenAPI document is 3.1 and documents every registered route', async () => {
    const res = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { summary?: string; responses?: object }>>;
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info.version, 'string');

    const routes = registeredRoutes(shop);
    const urls = new Set(routes.map((r) => r.url));
    for (const expected of ['/health/live', '/health/ready', '/metrics', '/api/openapi.json', '/probe/:id']) {
      assert.ok(urls.has(expected), `${expected} is registered`);
    }
    for (const { method, url } of routes) {
      const openapiPath = url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[openapiPath]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${url} is documented`);
      assert.ok(operation.summary, `${method} ${url} has a summary`);
      assert.ok(operation.responses, `${method} ${url} documents its responses`);
    }
  });

  test('route schemas flow into the OpenAPI document', async () => {
    const doc = (await shop.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const detail = doc.paths['/probe/{id}'].get;
    const parameters = detail.parameters as Array<{ name: string; in: string; required?: boolean }>;
    const id = parameters.find((p) => p.name === 'id');
    assert.equal(id?.in, 'path');
    assert.equal(id?.required, true);
    assert.ok(parameters.some((p) => p.name === 'limit' && p.in === 'query'));

    const body = doc.paths['/probe/items'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['name', 'quantity']);
    assert.equal(body.additionalProperties, false);

    assert.deepEqual(doc.paths['/probe/staff'].get.security, [{ bearerAuth: [] }]);
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  });
});
