import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '@shopstack/kernel';
import { runCli, tempDir } from './cli-process.js';

// Each run starts a Node process, so the independent ones run side by side.

test('--help lists every command and --version prints the version', async () => {
  const [help, version] = await Promise.all([runCli(['--help']), runCli(['--version'])]);
  assert.equal(help.code, 0);
  for (const command of ['start', 'migrate', 'seed', 'config', 'admin']) {
    assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `${command} is listed`);
  }
  assert.match(help.stdout, /DATABASE_URL +database\.url/);
  assert.match(help.stdout, /NODE_ENV +env, when SHOPSTACK_ENV is unset/);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), VERSION);
});

test('config prints the effective configuration as JSON with every secret redacted', async () => {
  const { code, stdout } = await runCli(['config'], {
    PORT: '9090',
    SHOPSTACK_ADMIN_TOKEN: 'a-staff-token-that-must-not-leak-0123456789',
    DATABASE_URL: 'postgres://shop:s3cret-pass@db.internal:5432/shop?sslmode=require&password=also-secret',
  });
  assert.equal(code, 0);
  const config = JSON.parse(stdout);
  assert.equal(config.server.port, 9090);
  assert.equal(config.auth.adminToken, '[redacted]');
  assert.match(config.database.url, /^postgres:\/\/shop:redacted@db\.internal:5432\/shop\?/);
  assert.match(config.database.url, /sslmode=require/);
  assert.doesNotMatch(stdout, /must-not-leak|s3cret|also-secret/);
});

test('bad configuration stops start-up with exit code 1 and a message naming the key, without a stack trace', async () => {
  const [badPort, unknownService, badSeed] = await Promise.all([
    runCli(['start'], { PORT: 'abc' }),
    runCli(['start'], { SHOPSTACK_SERVICES: 'catalogue,unicorns' }),
    runCli(['seed', '--products', 'many']),
  ]);

  assert.equal(badPort.code, 1);
  assert.match(badPort.stderr, /server\.port \(from PORT\)/);
  assert.match(badPort.stderr, /"abc"/);
  assert.doesNotMatch(badPort.stderr, /^\s+at /m);
  assert.equal(badPort.stdout, '', 'nothing started');

  assert.equal(unknownService.code, 1);
  assert.match(unknownService.stderr, /unknown service "unicorns"; available: users, catalogue/);
  assert.doesNotMatch(unknownService.stderr, /^\s+at /m);

  assert.equal(badSeed.code, 1);
  assert.match(badSeed.stderr, /--products <n>.*expected a whole number/);
});

test('a service whose dependency is neither mounted nor given a URL stops start-up before the database is touched', async () => {
  const dataDir = tempDir('missing-dependency');
  try {
    const { code, stdout, stderr } = await runCli(['start'], {
      SHOPSTACK_SERVICES: 'cart',
      SHOPSTACK_DATA_DIR: dataDir,
    });
    assert.equal(code, 1);
    assert.match(stderr, /service cart depends on catalogue, which is neither mounted in this process/);
    assert.match(stderr, /SHOPSTACK_CATALOGUE_URL/);
    assert.doesNotMatch(stderr, /^\s+at /m);
    assert.doesNotMatch(stdout, /Creating the embedded database/);
    assert.deepEqual(readdirSync(dataDir), [], 'no database was created or migrated');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
