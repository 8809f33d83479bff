import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { TEST_POSTGRES_URL, uniqueName } from '@shopstack/kernel/testing';
import { runCli } from './cli-process.js';

const PASSWORD = 'pw-that-must-not-print';

/** A loopback port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Asserts the one line a command prints when it cannot open its database, and its exit code 1. */
function assertOneLine(run: { code: number | null; stderr: string }, pattern: RegExp): string {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, not:\n${run.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.ok(!run.stderr.includes(PASSWORD), 'the password is not printed');
  return lines[0]!;
}

test('a database that does not exist stops start with one line naming it, the URL without its password, and what to do', async () => {
  const url = new URL(TEST_POSTGRES_URL);
  url.password = PASSWORD;
  const name = uniqueName('shopstack_missing');
  url.pathname = `/${name}`;
  const run = await runCli(['start'], { DATABASE_URL: url.toString() });
  const line = assertOneLine(
    run,
    new RegExp(`^shopstack: cannot open the database: database "${name}" does not exist`),
  );
  url.password = 'redacted';
  assert.ok(line.includes(url.toString()), `the URL is named: ${line}`);
  assert.match(line, /createdb/);
});

test('a refused connection stops start, migrate and seed with one line each and exit code 1', async () => {
  const port = await closedPort();
  const url = `postgres://shop:${PASSWORD}@127.0.0.1:${port}/shop`;
  const runs = await Promise.all(
    [['start'], ['migrate'], ['seed']].map((args) => runCli(args, { DATABASE_URL: url })),
  );
  for (const run of runs) {
    const line = assertOneLine(run, /^shopstack: cannot reach the database: connection refused/);
    assert.ok(line.includes(`postgres://shop:redacted@127.0.0.1:${port}/shop`), line);
    assert.match(line, /Is PostgreSQL running there/);
  }
});

test('a failure of the embedded database is not explained with advice about DATABASE_URL', async () => {
  const { describeDatabaseFailure, databaseFailureOf } = await import('../src/database-failure.js');
  const { loadConfig } = await import('@shopstack/kernel');
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const failure = databaseFailureOf(reset)!;
  const embedded = describeDatabaseFailure(failure, loadConfig({ env: { SHOPSTACK_DATA_DIR: '/tmp/x' } }));
  assert.match(embedded, /PGlite/);
  assert.match(embedded, /The embedded database stopped/);
  assert.doesNotMatch(embedded, /port in DATABASE_URL/);
  const remote = describeDatabaseFailure(
    failure,
    loadConfig({ env: { DATABASE_URL: `postgres://u:${PASSWORD}@127.0.0.1:1/db` } }),
  );
  assert.match(remote, /port in DATABASE_URL/);
  assert.ok(!remote.includes(PASSWORD));
});
