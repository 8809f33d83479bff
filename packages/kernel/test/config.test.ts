import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, defaultConfig, loadConfig } from '../src/config.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temporary working directory holding config/<env>.json files with the given contents. */
function workdir(files: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-config-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'config'));
  for (const [name, content] of Object.entries(files)) {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    writeFileSync(path.join(dir, 'config', name), text);
  }
  return dir;
}

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected loading the configuration to fail');
}

describe('configuration layers', () => {
  test('without a file or variables the built-in defaults apply', () => {
    const config = loadConfig({ env: {}, cwd: workdir() });
    assert.deepEqual(config, defaultConfig);
  });

  test('the config file of the environment overrides the defaults and leaves other keys alone', () => {
    const cwd = workdir({ 'development.json': { server: { port: 9000 }, store: { name: 'Corner Shop' } } });
    const config = loadConfig({ env: {}, cwd });
    assert.equal(config.server.port, 9000);
    assert.equal(config.store.name, 'Corner Shop');
    assert.equal(config.server.host, defaultConfig.server.host);
    assert.equal(config.store.currency, defaultConfig.store.currency);
  });

  test('the file is chosen by SHOPSTACK_ENV, and SHOPSTACK_CONFIG names a file explicitly', () => {
    const cwd = workdir({
      'development.json': { server: { port: 9000 } },
      'test.json': { server: { port: 9100 } },
    });
    writeFileSync(path.join(cwd, 'custom.json'), JSON.stringify({ server: { port: 9200 } }));
    assert.equal(loadConfig({ env: {}, cwd }).server.port, 9000);
    assert.equal(loadConfig({ env: { SHOPSTACK_ENV: 'test' }, cwd }).server.port, 9100);
    assert.equal(loadConfig({ env: { SHOPSTACK_CONFIG: 'custom.json' }, cwd }).server.port, 9200);
  });

  test('environment variables override the file, and overrides override the environment', () => {
    const cwd = workdir({
      'development.json': { server: { port: 9000, trustProxy: false }, store: { currency: 'USD' } },
    });
    const env = { PORT: '9300', SHOPSTACK_TRUST_PROXY: 'true', SHOPSTACK_SERVICES: 'catalogue, users' };
    const fromEnv = loadConfig({ env, cwd });
    assert.equal(fromEnv.server.port, 9300);
    assert.equal(fromEnv.server.trustProxy, true);
    assert.equal(fromEnv.store.currency, 'USD');
    assert.deepEqual(fromEnv.services, ['catalogue', 'users']);

    const overridden = loadConfig({ env, cwd, overrides: { server: { port: 9400 } } });
    assert.equal(overridden.server.port, 9400);
    assert.equal(overridden.server.trustProxy, true);
  });

  test('catalogue.stockExposure is capped by default and set by the file or SHOPSTACK_STOCK_EXPOSURE', () => {
    assert.equal(loadConfig({ env: {}, cwd: workdir() }).catalogue.stockExposure, 'capped');
    const cwd = workdir({ 'development.json': { catalogue: { stockExposure: 'status' } } });
    assert.equal(loadConfig({ env: {}, cwd }).catalogue.stockExposure, 'status');
    const fromEnv = loadConfig({ env: { SHOPSTACK_STOCK_EXPOSURE: 'exact' }, cwd });
    assert.equal(fromEnv.catalogue.stockExposure, 'exact');
  });

  test('carts expire after cart.idleDays (30 by default), set by the file or SHOPSTACK_CART_IDLE_DAYS', () => {
    assert.equal(loadConfig({ env: {}, cwd: workdir() }).cart.idleDays, 30);
    assert.equal(loadConfig({ env: { SHOPSTACK_CART_IDLE_DAYS: '7' }, cwd: workdir() }).cart.idleDays, 7);
    const err = configError(() => loadConfig({ env: { SHOPSTACK_CART_IDLE_DAYS: '0' }, cwd: workdir() }));
    assert.equal(err.key, 'cart.idleDays');
    assert.match(err.message, /SHOPSTACK_CART_IDLE_DAYS/);
  });

  test('reservations are held 15 minutes and swept every 60 seconds by default; both can be set and are range-checked', () => {
    const defaults = loadConfig({ env: {}, cwd: workdir() }).catalogue;
    assert.deepEqual([defaults.reservationHoldMinutes, defaults.reservationSweepSeconds], [15, 60]);
    const set = loadConfig({
      env: { SHOPSTACK_RESERVATION_HOLD_MINUTES: '30', SHOPSTACK_RESERVATION_SWEEP_SECONDS: '5' },
      cwd: workdir(),
    }).catalogue;
    assert.deepEqual([set.reservationHoldMinutes, set.reservationSweepSeconds], [30, 5]);
    for (const [variable, value, key] of [
      ['SHOPSTACK_RESERVATION_HOLD_MINUTES', '0', 'catalogue.reservationHoldMinutes'],
      ['SHOPSTACK_RESERVATION_HOLD_MINUTES', '1441', 'catalogue.reservationHoldMinutes'],
      ['SHOPSTACK_RESERVATION_SWEEP_SECONDS', '0', 'catalogue.reservationSweepSeconds'],
      ['SHOPSTACK_RESERVATION_SWEEP_SECONDS', '3601', 'catalogue.reservationSweepSeconds'],
      ['SHOPSTACK_RESERVATION_SWEEP_SECONDS', '1.5', 'catalogue.reservationSweepSeconds'],
    ] as const) {
      const err = configError(() => loadConfig({ env: { [variable]: value }, cwd: workdir() }));
      assert.equal(err.key, key);
      assert.match(err.message, new RegExp(variable));
    }
  });

  test('an empty environment variable is ignored rather than taken as a value', () => {
    const config = loadConfig({ env: { PORT: '', SHOPSTACK_CURRENCY: '' }, cwd: workdir() });
    assert.equal(config.server.port, defaultConfig.server.port);
    assert.equal(config.store.currency, defaultConfig.store.currency);
  });
});

describe('invalid configuration', () => {
  const cases = [
    { variable: 'PORT', value: 'abc', key: 'server.port', expected: /integer/ },
    { variable: 'SHOPSTACK_CURRENCY', value: 'eur', key: 'store.currency', expected: /ISO 4217/ },
    { variable: 'LOG_LEVEL', value: 'loud', key: 'log.level', expected: /one of fatal, error, warn/ },
    { variable: 'SHOPSTACK_TRUST_PROXY', value: 'perhaps', key: 'server.trustProxy', expected: /boolean/ },
    {
      variable: 'SHOPSTACK_STOCK_EXPOSURE',
      value: 'hidden',
      key: 'catalogue.stockExposure',
      expected: /one of exact, capped, status/,
    },
  ];
  for (const { variable, value, key, expected } of cases) {
    test(`${variable}=${value} stops loading with a message naming ${key}, the variable and what was expected`, () => {
      const err = configError(() => loadConfig({ env: { [variable]: value }, cwd: workdir() }));
      assert.equal(err.key, key);
      assert.ok(err.message.includes(key), err.message);
      assert.ok(err.message.includes(variable), err.message);
      assert.ok(err.message.includes(JSON.stringify(value)), err.message);
      assert.match(err.message, expected);
    });
  }

  test('a port out of range in the file is rejected naming the key', () => {
    const err = configError(() =>
      loadConfig({ env: {}, cwd: workdir({ 'development.json': { server: { port: 70000 } } }) }),
    );
    assert.equal(err.key, 'server.port');
    assert.match(err.message, /server\.port/);
    assert.match(err.message, /70000/);
  });

  test('an unknown key in the config file is rejected naming it', () => {
    const nested = configError(() =>
      loadConfig({ env: {}, cwd: workdir({ 'development.json': { server: { prot: 8081 } } }) }),
    );
    assert.equal(nested.key, 'server.prot');
    assert.match(nested.message, /server\.prot/);

    const topLevel = configError(() =>
      loadConfig({ env: {}, cwd: workdir({ 'development.json': { verbose: true } }) }),
    );
    assert.equal(topLevel.key, 'verbose');
    assert.match(topLevel.message, /verbose/);
  });

  test('a config file that is not valid JSON is rejected naming the file', () => {
    const cwd = workdir({ 'development.json': '{ "server": { "port": 9000 ' });
    const err = configError(() => loadConfig({ env: {}, cwd }));
    assert.match(err.message, /not valid JSON/);
    assert.ok(err.message.includes(path.join(cwd, 'config', 'development.json')), err.message);
  });

  test('a config file holding something other than an object is rejected', () => {
    const err = configError(() => loadConfig({ env: {}, cwd: workdir({ 'development.json': [1, 2] }) }));
    assert.match(err.message, /must hold a JSON object/);
  });

  test('an explicit SHOPSTACK_CONFIG that does not exist is an error, a missing environment file is not', () => {
    const cwd = workdir();
    const err = configError(() => loadConfig({ env: { SHOPSTACK_CONFIG: 'missing.json' }, cwd }));
    assert.equal(err.key, 'SHOPSTACK_CONFIG');
    assert.match(err.message, /not found/);
    assert.doesNotThrow(() => loadConfig({ env: { SHOPSTACK_ENV: 'test' }, cwd }));
  });
});

describe('production configuration', () => {
  const production = (token?: string) =>
    loadConfig({
      env: { SHOPSTACK_ENV: 'production', ...(token === undefined ? {} : { SHOPSTACK_ADMIN_TOKEN: token }) },
      cwd: workdir(),
    });

  test('production starts without a bootstrap token: staff accounts replace it', () => {
    assert.equal(production().auth.adminToken, undefined);
  });

  test('services reached over HTTP need a service secret, and production wants it strong', () => {
    const remote = (env: Record<string, string>) =>
      loadConfig({ env: { SHOPSTACK_CATALOGUE_URL: 'http://catalogue:8080', ...env }, cwd: workdir() });
    const missing = configError(() => remote({}));
    assert.equal(missing.key, 'auth.serviceSecret');
    assert.match(missing.message, /SHOPSTACK_SERVICE_SECRET/);
    const config = remote({ SHOPSTACK_SERVICE_SECRET: 'a-long-enough-secret-for-development' });
    assert.equal(config.serviceUrls.catalogue, 'http://catalogue:8080');
    const weak = configError(() =>
      remote({ SHOPSTACK_ENV: 'production', SHOPSTACK_SERVICE_SECRET: 'short-secret' }),
    );
    assert.equal(weak.key, 'auth.serviceSecret');
    const bad = configError(() => loadConfig({ env: { SHOPSTACK_USERS_URL: 'users:8080' }, cwd: workdir() }));
    assert.equal(bad.key, 'serviceUrls.users');
    assert.match(bad.message, /SHOPSTACK_USERS_URL/);
  });

  test('production refuses short, well-known or repetitive staff tokens', () => {
    for (const token of [
      'short-token',
      'changeme',
      'a'.repeat(40),
      'abababababababababababababababababababab',
    ]) {
      const err = configError(() => production(token));
      assert.equal(err.key, 'auth.adminToken');
      assert.match(err.message, /at least 32 characters/);
    }
  });

  test('production accepts a 40-character random staff token', () => {
    const token = randomBytes(30).toString('base64url');
    assert.equal(token.length, 40);
    const config = production(token);
    assert.equal(config.env, 'production');
    assert.equal(config.auth.adminToken, token);
  });

  test('outside production a weak token is allowed', () => {
    const config = loadConfig({ env: { SHOPSTACK_ADMIN_TOKEN: 'dev' }, cwd: workdir() });
    assert.equal(config.auth.adminToken, 'dev');
  });
});
