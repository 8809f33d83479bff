import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachBackend } from '../test/support/index.js';

describeEachBackend('kernel app', (backend) => {
  test('readiness reports the database with its latency', async () => {
    const shop = await backend.buildApp({ services: [] });
    const res = await shop.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /application\/health\+json/);
    const body = res.json();
    assert.equal(body.status, 'pass');
    const db = body.checks[`database:${backend.kind}`][0];
    assert.equal(db.status, 'pass');
    assert.equal(typeof db.observedValue, 'number');
  });
});
