import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { TEST_POSTGRES_URL, uniqueName } from '@shopstack/kernel/testing';
import { runCli, startCli, type RunningProcess } from './cli-process.js';

const LISTENING = /listening on (http:\/\/\S+) — press Ctrl-C to stop$/m;

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function signIn(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('shopstack admin create', () => {
  const database = uniqueName('shopstack_admin');
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  const env = {
    DATABASE_URL: url.toString(),
    SHOPSTACK_SERVICES: 'users,catalogue',
    SHOPSTACK_SEED_PRODUCTS: '5',
  };
  const running: RunningProcess[] = [];
  before(() => admin(`create database ${database}`));
  after(async () => {
    for (const cli of running) await cli.kill();
    await admin(`drop database if exists ${database} with (force)`);
  });

  test('creates an admin with a generated password printed once, refuses the same address twice, and the admin signs in', async () => {
    const created = await runCli(
      ['admin', 'create', '--email', ' Boss@Example.com ', '--name', 'The Boss'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created admin boss@example\.com \(id [\w-]+\) in store "demo"\./);
    const password = /^Password: (\S+) \(shown once/m.exec(created.stdout)?.[1];
    assert.ok(password, created.stdout);

    const again = await runCli(['admin', 'create', '--email', 'boss@example.com'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^shopstack: An account with this e-mail address exists already\.$/m);
    assert.doesNotMatch(again.stderr, /^\s+at /m);

    const chosen = await runCli(['admin', 'create', '--email', 'clerk@example.com', '--role', 'staff'], {
      ...env,
      SHOPSTACK_ADMIN_PASSWORD: 'a chosen clerk password',
    });
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(chosen.stdout, /Created staff clerk@example\.com/);
    assert.doesNotMatch(chosen.stdout, /Password:/);

    const weak = await runCli(['admin', 'create', '--email', 'weak@example.com'], {
      ...env,
      SHOPSTACK_ADMIN_PASSWORD: 'short',
    });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /password/);

    // The store starts with users and the catalogue: staff exist already, so no demo admin is made.
    const store = startCli(['start'], { ...env, PORT: '0' });
    running.push(store);
    const [, base] = await store.waitFor(LISTENING, 45_000);
    assert.doesNotMatch(store.stdout, /Staff admin:/);
    const boss = await signIn(base!, 'boss@example.com', password);
    assert.equal(boss.status, 200);
    const clerk = await signIn(base!, 'clerk@example.com', 'a chosen clerk password');
    assert.equal(clerk.status, 200);
    const { accessToken } = (await clerk.json()) as { accessToken: string };
    const me = await fetch(`${base}/api/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(((await me.json()) as { role: string }).role, 'staff');
    store.signal('SIGTERM');
    assert.equal(await store.exited, 0);
  });

  test('a new store with users enabled reports its first admin once', async () => {
    const fresh = uniqueName('shopstack_seed_admin');
    const freshUrl = new URL(TEST_POSTGRES_URL);
    freshUrl.pathname = `/${fresh}`;
    await admin(`create database ${fresh}`);
    try {
      const store = startCli(['start'], { ...env, DATABASE_URL: freshUrl.toString(), PORT: '0' });
      running.push(store);
      const [, base] = await store.waitFor(LISTENING, 45_000);
      const match = /^Staff admin: (admin@demo\.example) \/ (\S+) \(shown once; change it\)$/m.exec(
        store.stdout,
      );
      assert.ok(match, store.stdout);
      assert.equal((await signIn(base!, match[1]!, match[2]!)).status, 200);
      store.signal('SIGTERM');
      assert.equal(await store.exited, 0);
    } finally {
      await admin(`drop database if exists ${fresh} with (force)`);
    }
  });
});
