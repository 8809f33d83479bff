import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestBackend, lintOpenApi, testBackends } from '@shopstack/kernel/testing';
import { knownServices } from '../src/services.js';

test('the OpenAPI document of the whole store (every service mounted, as shopstack start serves it) passes Redocly recommended rules without a warning', async () => {
  // The document does not depend on the database, so one backend is enough.
  const backend = new TestBackend(testBackends()[0]!);
  await backend.open();
  let document: string;
  try {
    const shop = await backend.buildApp({ services: [...knownServices] });
    const res = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    document = res.body;
  } finally {
    await backend.close();
  }
  const paths = Object.keys((JSON.parse(document) as { paths: Record<string, unknown> }).paths);
  for (const prefix of ['/api/users/', '/api/catalogue/', '/api/shipping/', '/api/cart'])
    assert.ok(
      paths.some((p) => p.startsWith(prefix)),
      `no path under ${prefix} in the document`,
    );
  const report = await lintOpenApi(document);
  assert.deepEqual(report.problems, []);
  assert.equal(report.errors, 0);
  assert.equal(report.warnings, 0);
});
