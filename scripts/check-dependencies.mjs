#!/usr/bin/env node
// Every workspace package declares what it imports: its sources from its own "dependencies" (so a
// production install, `npm ci --omit=dev`, has them), its tests from those or the dev dependencies.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const builtins = new Set(builtinModules);
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function files(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(files(full));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(full);
  }
  return out;
}

function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? null : name;
}

const problems = [];
const packagesDir = path.join(root, 'packages');
for (const dir of readdirSync(packagesDir)) {
  const manifestFile = path.join(packagesDir, dir, 'package.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    continue;
  }
  const runtime = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {})]);
  const forTests = new Set([
    ...runtime,
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(rootManifest.devDependencies ?? {}),
  ]);
  for (const [part, allowed] of [
    ['src', runtime],
    ['bin', runtime],
    ['server', runtime],
    ['scripts', forTests],
    ['test', forTests],
  ]) {
    const base = path.join(packagesDir, dir, part);
    let list = [];
    try {
      list = files(base);
    } catch {
      continue;
    }
    for (const file of list) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const name = packageOf(match[1] ?? match[2] ?? match[3]);
        if (name && !allowed.has(name)) {
          const where = path.relative(root, file);
          problems.push(
            `${where} imports ${name}, which ${manifest.name} does not declare${part === 'test' ? '' : ' in "dependencies"'}`,
          );
        }
      }
    }
  }
}
if (problems.length) {
  console.error(`Undeclared dependencies:\n  ${[...new Set(problems)].join('\n  ')}`);
  process.exit(1);
}
console.log('Every package declares what it imports.');
