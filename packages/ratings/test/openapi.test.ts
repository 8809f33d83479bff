import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestBackend, lintOpenApi, testBackends } from '@shopstack/kernel/testing';
import { buildRatingsShop } from './support.js';

test('the OpenAPI document with the ratings routes passes Redocly recommended rules without a warning', async () => {
  // The document does not depend on the database, so one backend is enough.
  const backend = new TestBackend(testBackends()[0]!);
  await backend.open();
  let document: string;
  try {
    const shop = await buildRatingsShop(backend);
    const res = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    document = res.body;
  } finally {
    await backend.close();
  }
  const paths = Object.keys((JSON.parse(document) as { paths: Record<string, unknown> }).paths);
  assert.equal(paths.filter((p) => p.startsWith('/api/ratings/')).length, 8);
  const report = await lintOpenApi(document);
  assert.deepEqual(report.problems, []);
  assert.equal(report.errors, 0);
  assert.equal(report.warnings, 0);
});
