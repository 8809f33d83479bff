import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { ifNoneMatchMatches } from '../src/http-caching.js';
import { describeEachBackend, staffHeadersFor } from './support/index.js';
import { probePlugin } from './support/probe-plugin.js';

describe('ifNoneMatchMatches', () => {
  test('strong and weak forms of the same tag match either way round', () => {
    assert.equal(ifNoneMatchMatches('"abc"', '"abc"'), true);
    assert.equal(ifNoneMatchMatches('W/"abc"', '"abc"'), true);
    assert.equal(ifNoneMatchMatches('"abc"', 'W/"abc"'), true);
    assert.equal(ifNoneMatchMatches('W/"abc"', 'W/"abc"'), true);
  });

  test('a list matches when any of its tags does, however it is spaced', () => {
    assert.equal(ifNoneMatchMatches('"x", W/"abc", "y"', '"abc"'), true);
    assert.equal(ifNoneMatchMatches('"x",W/"abc"', '"abc"'), true);
    assert.equal(ifNoneMatchMatches('"a,b", "c"', '"a,b"'), true, 'a comma inside a tag is part of it');
  });

  test('* matches any current representation', () => {
    assert.equal(ifNoneMatchMatches('*', '"abc"'), true);
    assert.equal(ifNoneMatchMatches(' * ', 'W/"abc"'), true);
  });

  test('other tags, parts of tags, unquoted values and no header do not match', () => {
    assert.equal(ifNoneMatchMatches('"abcd"', '"abc"'), false);
    assert.equal(ifNoneMatchMatches('"ab"', '"abc"'), false);
    assert.equal(ifNoneMatchMatches('abc', '"abc"'), false);
    assert.equal(ifNoneMatchMatches('W/abc', '"abc"'), false);
    assert.equal(ifNoneMatchMatches('', '"abc"'), false);
    assert.equal(ifNoneMatchMatches(undefined, '"abc"'), false);
    assert.equal(ifNoneMatchMatches('"x", "y"', '"abc"'), false);
  });
});

describeEachBackend('conditional requests and caching headers', (backend) => {
  let shop: ShopApp;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin()] });
  });

  const tagged = (ifNoneMatch?: string, method: 'GET' | 'HEAD' = 'GET') =>
    shop.app.inject({
      method,
      url: '/probe/tagged/v1',
      headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch },
    });

  test('a matching If-None-Match is a 304 without a body, whether the tag is weak, listed or *', async () => {
    for (const header of ['"v1"', 'W/"v1"', '"v0", W/"v1"', '*']) {
      const res = await tagged(header);
      assert.equal(res.statusCode, 304, header);
      assert.equal(res.body, '');
      assert.equal(res.headers.etag, '"v1"');
      assert.equal(
        res.headers['cache-control'],
        'public, max-age=60',
        'a 304 keeps the freshness of the 200',
      );
    }
    assert.equal((await tagged('W/"v1"', 'HEAD')).statusCode, 304);
  });

  test('a different tag, or none, gets the full representation', async () => {
    for (const header of [undefined, '"v2"', 'W/"v10"']) {
      const res = await tagged(header);
      assert.equal(res.statusCode, 200, String(header));
      assert.deepEqual(res.json(), { version: 'v1' });
      assert.equal(res.headers.etag, '"v1"');
    }
  });

  test('every response says nosniff: successes, errors, unknown routes and malformed URLs', async () => {
    const requests = [
      { method: 'GET', url: '/probe/p-1' },
      { method: 'GET', url: '/probe/tagged/v1' },
      { method: 'GET', url: '/health/live' },
      { method: 'GET', url: '/metrics' },
      { method: 'GET', url: '/api/openapi.json' },
      { method: 'GET', url: '/probe/p-1?limit=0' },
      { method: 'GET', url: '/probe/errors/crash' },
      { method: 'GET', url: '/probe/staff' },
      { method: 'GET', url: '/no/such/route' },
      { method: 'DELETE', url: '/probe/p-1' },
      { method: 'GET', url: '/probe/%E0%A4%A' },
    ] as const;
    for (const { method, url } of requests) {
      const res = await shop.app.inject({ method, url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', `${method} ${url} (${res.statusCode})`);
    }
  });

  test('responses are no-store unless their route declares otherwise; errors are no-store always', async () => {
    const noStore = [
      { url: '/probe/p-1', status: 200 },
      { url: '/health/ready', status: 200 },
      { url: '/probe/p-1?limit=0', status: 400 },
      { url: '/probe/tagged/x1', status: 400 },
      { url: '/probe/staff', status: 401 },
      { url: '/probe/errors/crash', status: 500 },
      { url: '/no/such/route', status: 404 },
      { url: '/probe/%E0%A4%A', status: 400 },
    ];
    for (const { url, status } of noStore) {
      const res = await shop.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, status, url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
    }
    const staff = await shop.app.inject({
      method: 'GET',
      url: '/probe/staff',
      headers: await staffHeadersFor('platform'),
    });
    assert.equal(staff.statusCode, 200);
    assert.equal(staff.headers['cache-control'], 'no-store');

    const cacheable = await tagged();
    assert.equal(cacheable.headers['cache-control'], 'public, max-age=60');
  });
});
