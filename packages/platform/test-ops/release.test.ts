import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CURRENT_ROOT, prepareRelease } from '../src/index.js';

const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: CURRENT_ROOT, encoding: 'utf8' }).stdout.trim();

test(
  'a git ref becomes a release tree with its own packages, the installed dependencies and built web apps',
  { skip: !/^[0-9a-f]{40}$/.test(head) && 'not a git checkout', timeout: 600_000 },
  async (t) => {
    const releases = mkdtempSync(path.join(tmpdir(), 'shopstack-releases-'));
    t.after(() => rmSync(releases, { recursive: true, force: true }));
    const steps: string[] = [];
    const release = prepareRelease('HEAD', releases, (m) => steps.push(m));

    assert.equal(release.root, path.join(releases, head.slice(0, 12)));
    assert.equal(release.name, 'HEAD');
    assert.ok(existsSync(release.entry));
    assert.equal(readFileSync(path.join(release.root, '.shopstack-release'), 'utf8').trim(), head);
    // Its workspace packages are its own, not the platform's...
    assert.equal(
      realpathSync(path.join(release.root, 'node_modules', '@shopstack', 'kernel')),
      path.join(release.root, 'packages', 'kernel'),
    );
    // ...and the rest is the platform's installation.
    assert.equal(
      realpathSync(path.join(release.root, 'node_modules', 'fastify')),
      realpathSync(path.join(CURRENT_ROOT, 'node_modules', 'fastify')),
    );
    assert.ok(
      existsSync(path.join(release.root, 'packages', 'storefront', 'dist')),
      'the storefront is built',
    );
    assert.ok(steps.some((s) => /checked out/.test(s)));

    // It runs: its own command answers with its version.
    const version = spawnSync(process.execPath, [release.entry, '--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), release.version);

    // A second deploy of the same commit reuses the tree.
    const built = statSync(path.join(release.root, '.shopstack-release')).mtimeMs;
    const again = prepareRelease(head, releases, () => assert.fail('nothing to prepare the second time'));
    assert.equal(again.root, release.root);
    assert.equal(statSync(path.join(release.root, '.shopstack-release')).mtimeMs, built);
  },
);

test('a version that is neither a directory nor a git ref is refused', () => {
  assert.throws(
    () => prepareRelease('no-such-ref-anywhere', tmpdir(), () => {}),
    /neither a directory nor a git ref/,
  );
  assert.throws(
    () => prepareRelease('--upload-pack=x', tmpdir(), () => {}),
    /neither a directory nor a git ref/,
  );
});
