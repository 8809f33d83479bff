import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Release } from './release.js';

/** A migration of the next release that would break the live one while both run. */
export interface ContractViolation {
  /** The migration file, relative to the release root. */
  migration: string;
  /** What it does: "drops column", "renames column", ... */
  change: string;
  /** The column or table it takes away. */
  name: string;
  /** Files of the live release that still use that name. */
  usedIn: string[];
}

/** Changes that take something away from the schema the live release runs on. */
const DESTRUCTIVE: ReadonlyArray<{ change: string; pattern: RegExp }> = [
  { change: 'drops column', pattern: /drop\s+column\s+(?:if\s+exists\s+)?"?(\w+)"?/gi },
  { change: 'renames column', pattern: /rename\s+column\s+"?(\w+)"?\s+to/gi },
  {
    change: 'changes the type of column',
    pattern: /alter\s+column\s+"?(\w+)"?\s+(?:set\s+data\s+)?type\b/gi,
  },
  { change: 'makes required column', pattern: /alter\s+column\s+"?(\w+)"?\s+set\s+not\s+null/gi },
  { change: 'drops table', pattern: /drop\s+table\s+(?:if\s+exists\s+)?(?:[^\s;`]*\.)?"?(\w+)"?/gi },
  { change: 'renames table', pattern: /alter\s+table\s+(?:[^\s;`]*\.)?"?(\w+)"?\s+rename\s+to/gi },
];

function filesUnder(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, accept, out);
    else if (accept(full)) out.push(full);
  }
  return out;
}

const isMigration = (file: string) => file.split(path.sep).includes('migrations');

/** Migration files of `next` that `live` does not have: the ones a deploy of next applies. */
export function newMigrations(next: Release, live: Release): string[] {
  const migrations = (root: string) =>
    filesUnder(
      path.join(root, 'packages'),
      (f) => isMigration(f) && /\.ts$/.test(f) && !f.endsWith('index.ts'),
    ).map((f) => path.relative(root, f));
  const known = new Set(migrations(live.root));
  return migrations(next.root).filter((file) => !known.has(file));
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The expand/contract rule: while a deploy runs, the live release keeps working on the schema the
 * next release migrates, so a new migration may add (tables, nullable columns, columns with
 * defaults, indexes) but may take away only what the live release no longer uses. A migration that
 * drops, renames, retypes or makes required a column (or drops or renames a table) whose name the
 * live release's code still mentions is a violation. The check is by name and errs on the safe
 * side: a common name used elsewhere also counts as used.
 */
export function checkExpandContract(next: Release, live: Release): ContractViolation[] {
  const liveSources = filesUnder(
    path.join(live.root, 'packages'),
    (f) => !isMigration(f) && /\.(ts|tsx|mts)$/.test(f) && !f.includes(`${path.sep}test${path.sep}`),
  ).map((file) => ({ file: path.relative(live.root, file), text: readFileSync(file, 'utf8') }));
  const violations: ContractViolation[] = [];
  for (const migration of newMigrations(next, live)) {
    const text = readFileSync(path.join(next.root, migration), 'utf8');
    for (const { change, pattern } of DESTRUCTIVE) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!.toLowerCase();
        const words = new RegExp(`\\b(${name}|${camel(name)})\\b`);
        const usedIn = liveSources.filter((source) => words.test(source.text)).map((source) => source.file);
        if (usedIn.length) violations.push({ migration, change, name, usedIn });
      }
    }
  }
  return violations;
}

/** The violations as a message for people. */
export function describeViolations(violations: ContractViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.migration} ${v.change} "${v.name}", which the live release still uses (${v.usedIn.slice(0, 3).join(', ')}${v.usedIn.length > 3 ? ', ...' : ''})`,
    )
    .join('; ');
}
