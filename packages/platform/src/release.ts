import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A tree of ShopStack code that workers run: the platform's own, or one a deploy prepared. */
export interface Release {
  /** How people name it: "current", a git ref, a directory's name. */
  name: string;
  /** The root of the tree (where its package.json is). */
  root: string;
  /** Its `shopstack` command (packages/cli/bin/shopstack.mjs). */
  entry: string;
  /** The version in its package.json. */
  version: string;
}

/** The code tree this process runs from. */
export const CURRENT_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The release at a code tree's root; an error names what is missing when it is not one. */
export function releaseAt(root: string, name = path.basename(root)): Release {
  const entry = path.join(root, 'packages', 'cli', 'bin', 'shopstack.mjs');
  if (!existsSync(entry)) throw new Error(`${root} is not a ShopStack tree: ${entry} is missing`);
  let version = 'unknown';
  try {
    version =
      (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ??
      version;
  } catch {
    // A tree without a readable package.json still runs; its version is unknown.
  }
  return { name, root: path.resolve(root), entry, version };
}

/** The release the platform itself runs. */
export function currentRelease(): Release {
  return releaseAt(CURRENT_ROOT, 'current');
}
