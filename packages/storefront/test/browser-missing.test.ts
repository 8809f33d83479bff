import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

/** The browser suite run in a child process with Chromium looked for where there is none. */
function runWithoutChromium(env: Record<string, string>) {
  // A test run of its own, not a subtest of this one.
  const { NODE_TEST_CONTEXT: _inTest, ...parentEnv } = process.env;
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(import.meta.dirname, 'browser.test.ts')],
    {
      env: { ...parentEnv, SHOPSTACK_CHROMIUM: '/nonexistent/chromium', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

test('without Chromium the browser tests are skipped with the command that installs it', () => {
  const run = runWithoutChromium({ CI: '' });
  const output = run.stdout + run.stderr;
  assert.equal(run.status, 0, output);
  assert.match(output, /the browser tests did not run/);
  assert.match(output, /apt-get install -y chromium/);
  assert.match(output, /﹣ the storefront and the admin in a browser .*# Chromium is not installed/);
});

test('without Chromium under CI the browser tests fail, saying why', () => {
  const run = runWithoutChromium({ CI: 'true' });
  const output = run.stdout + run.stderr;
  assert.notEqual(run.status, 0, output);
  assert.match(output, /Chromium is not installed at \/nonexistent\/chromium/);
});
