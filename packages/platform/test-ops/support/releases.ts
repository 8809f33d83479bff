import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { CURRENT_ROOT } from '../../src/index.js';

/**
 * A release directory that runs the same code as this tree under another version: its packages and
 * dependencies are links to this tree's, its package.json says `version`.
 */
export function linkedRelease(t: TestContext, version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-release-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(path.join(CURRENT_ROOT, 'packages'), path.join(dir, 'packages'));
  symlinkSync(path.join(CURRENT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const manifest = JSON.parse(readFileSync(path.join(CURRENT_ROOT, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...manifest, version }));
  return dir;
}
