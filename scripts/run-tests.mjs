// Runs every *.test.ts under packages/*/test with Node's test runner (through tsx).
// The files are listed here rather than by a glob, so that arguments can pick some by a part of their path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

// --ops runs the operations suites (packages/*/test-ops: whole platforms under load) instead.
const ops = process.argv.includes('--ops');
const filters = process.argv.slice(2).filter((arg) => arg !== '--ops');
const roots = readdirSync('packages').map((p) => path.join('packages', p, ops ? 'test-ops' : 'test'));
let files = roots.flatMap((root) => {
  try {
    return find(root);
  } catch {
    return [];
  }
});
if (filters.length) files = files.filter((f) => filters.some((flt) => f.includes(flt)));
// The longest files start first, so that two of them do not end up running alone at the end.
const LONGEST_FIRST = [
  'packages/cli/test/embedded-responsiveness.test.ts',
  'packages/cli/test/order-events.test.ts',
  'packages/storefront/test/browser.test.ts',
  'packages/api-client/test/schema.test.ts',
];
const rank = (file) => {
  const index = LONGEST_FIRST.indexOf(file.split(path.sep).join('/'));
  return index === -1 ? LONGEST_FIRST.length : index;
};
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
// Operations suites measure whole platforms under load: one at a time, so they do not share the cores.
const concurrency = process.env.SHOPSTACK_TEST_CONCURRENCY ?? (ops ? '1' : '2');
function runFiles(list, env = {}) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...list],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', ...env } },
  );
  return result.status ?? 1;
}

// The cart's main suites run a second time with the catalogue in an app of its own, reached over
// HTTP (packages/cart/test/topology.ts): the same tests pass in both topologies.
const SPLIT = [
  'packages/cart/test/carts.test.ts',
  'packages/cart/test/totals.test.ts',
  'packages/cart/test/with-shipping.test.ts',
];
const split = files.filter((f) => SPLIT.includes(f.split(path.sep).join('/')));
let status = runFiles(files);
if (split.length && !ops && process.env.SHOPSTACK_TEST_TOPOLOGY === undefined) {
  console.log(`\nSecond pass, the catalogue in another app reached over HTTP: ${split.length} cart suites`);
  status = runFiles(split, { SHOPSTACK_TEST_TOPOLOGY: 'split' }) || status;
}
process.exit(status);
