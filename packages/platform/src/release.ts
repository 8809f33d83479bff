import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

function run(command: string, args: string[], cwd: string, input?: Buffer): Buffer {
  const result = spawnSync(command, args, { cwd, input, maxBuffer: 1024 * 1024 * 1024 });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr?.toString().trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${why}`);
  }
  return result.stdout;
}

/**
 * Gives a release tree the dependencies of the platform's own install without installing again:
 * node_modules holds a link to each installed package, and the release's own workspace packages
 * under @shopstack, so that its code (not the platform's) is what it imports.
 */
function linkDependencies(root: string): void {
  const own = path.join(CURRENT_ROOT, 'node_modules');
  const target = path.join(root, 'node_modules');
  mkdirSync(path.join(target, '@shopstack'), { recursive: true });
  for (const entry of readdirSync(own)) {
    if (entry === '@shopstack' || existsSync(path.join(target, entry))) continue;
    symlinkSync(path.join(own, entry), path.join(target, entry));
  }
  for (const dir of readdirSync(path.join(root, 'packages'))) {
    const manifest = path.join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
    const link = path.join(target, ...name.split('/'));
    if (!existsSync(link)) symlinkSync(path.join('..', '..', 'packages', dir), link);
  }
}

/**
 * The release a deploy names: nothing (the platform's own tree as it is on disk now), a directory
 * holding a ShopStack tree, or a git ref of the platform's repository (checked out once under
 * releases/<commit>, with the platform's dependencies linked in and its web apps built).
 */
export function prepareRelease(
  version: string | undefined,
  releasesDir: string,
  report: (m: string) => void,
): Release {
  if (version === undefined) return currentRelease();
  if (existsSync(version) && statSync(version).isDirectory()) return releaseAt(path.resolve(version));
  if (!/^[\w./@^~-]{1,200}$/.test(version) || version.startsWith('-'))
    throw new Error(`"${version}" is neither a directory nor a git ref`);
  let commit: string;
  try {
    commit = run('git', ['rev-parse', '--verify', '--quiet', `${version}^{commit}`], CURRENT_ROOT)
      .toString()
      .trim();
  } catch {
    throw new Error(`"${version}" is neither a directory nor a git ref of ${CURRENT_ROOT}`);
  }
  const root = path.join(releasesDir, commit.slice(0, 12));
  if (!existsSync(path.join(root, '.shopstack-release'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    run('tar', ['-x', '-C', root], root, run('git', ['archive', '--format=tar', commit], CURRENT_ROOT));
    const lock = (dir: string) => readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
    if (existsSync(path.join(root, 'package-lock.json')) && lock(root) !== lock(CURRENT_ROOT)) {
      report(`${version}: its dependencies differ from the platform's: npm ci`);
      run('npm', ['ci', '--no-audit', '--no-fund'], root);
    } else {
      linkDependencies(root);
      report(`${version}: checked out (${commit.slice(0, 12)}); building its web apps`);
      run(process.execPath, ['scripts/build-web.mjs'], root);
    }
    writeFileSync(path.join(root, '.shopstack-release'), `${commit}\n`);
  }
  return releaseAt(root, version);
}
