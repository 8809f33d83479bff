import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { TestBackend, testBackends } from '@shopstack/kernel/testing';
import { buildShippingOnlyApp } from './support.js';

const REDOCLY = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
);

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer: string }>;
  }>;
}

test('the OpenAPI document of the shipping service passes Redocly recommended rules without a warning', async () => {
  // The document does not depend on the database, so one backend is enough.
  const backend = new TestBackend(testBackends()[0]!);
  await backend.open();
  let document: string;
  try {
    const shop = await buildShippingOnlyApp(backend);
    const res = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    document = res.body;
  } finally {
    await backend.close();
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-openapi-'));
  let report: LintReport;
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, document);
    const run = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', '--extends', 'recommended', '--format', 'json', file],
      {
        // A directory of its own, so no redocly.yaml of the repository changes the rules.
        cwd: dir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    report = JSON.parse(run.stdout) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const found = report.problems.map(
    (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`,
  );
  assert.deepEqual(found, []);
  assert.equal(report.totals.errors + report.totals.warnings, 0);
});
