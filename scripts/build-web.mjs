#!/usr/bin/env node
// Builds the storefront (browser assets and server renderer) and the admin app, so that `npm start`
// serves them without a dev server. Runs after `npm install`; with --if-possible it steps aside when
// the build tools are not installed (a production install without dev dependencies).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const apps = ['storefront', 'admin'].filter((name) =>
  existsSync(path.join(root, 'packages', name, 'vite.config.ts')),
);

let vite;
try {
  vite = createRequire(path.join(root, 'packages', 'storefront', 'package.json')).resolve(
    'vite/package.json',
  );
} catch {
  if (process.argv.includes('--if-possible')) {
    console.log(
      'Web apps not built: the build tools (vite) are not installed. Run "npm install" and "npm run build".',
    );
    process.exit(0);
  }
  console.error('vite is not installed: run "npm install" first.');
  process.exit(1);
}

for (const app of apps) {
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build', '--silent', '-w', `@shopstack/${app}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) {
    console.error(`Building the ${app} failed (vite at ${path.dirname(vite)}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`Built the ${app} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
