import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { RUN, startTestPlatform, type TestStore } from './support/platform.js';
import { linkedRelease } from './support/releases.js';

const STORE: TestStore = { id: `cold-${RUN}`, domain: 'cold.example', workers: 1, postgres: true };

test(
  'a rollback once the old slot has stopped starts the previous release again and switches to it',
  { timeout: 600_000 },
  async (t) => {
    // Nothing is kept warm: the slot a deploy switches away from stops at once.
    const platform = await startTestPlatform(t, [STORE], {}, undefined, ['--keep-warm', '0']);
    const live = async () => (await platform.status()).find((s) => s.id === STORE.id)!;

    const deployed = await platform.cli(['deploy', STORE.id, '--version', linkedRelease(t, '0.2.0-next')]);
    assert.match(deployed.stdout, /stopped blue/);
    let store = await live();
    assert.equal(store.active, 'green');
    assert.deepEqual(
      store.slots.map((s) => [s.name, s.version]),
      [['green', '0.2.0-next']],
    );

    const rolledBack = await platform.cli(['rollback', STORE.id]);
    for (const line of rolledBack.stdout.trim().split('\n')) t.diagnostic(`rollback | ${line}`);
    assert.match(rolledBack.stdout, /starting current in blue/);
    assert.match(rolledBack.stdout, /smoke test on blue: done/);
    assert.match(rolledBack.stdout, /Store .* is back on current \(0\.1\.0\) in blue/);
    store = await live();
    assert.equal(store.active, 'blue');
    assert.deepEqual(
      store.slots.map((s) => [s.name, s.version]),
      [['blue', '0.1.0']],
    );
    const answer = await request(`${platform.url}/api/catalogue/products?limit=1`, {
      headers: { host: STORE.domain },
    });
    assert.equal(answer.statusCode, 200);
    await answer.body.dump();
  },
);
