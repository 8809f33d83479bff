import { Option, type Command } from 'commander';
import { InvalidInput } from '@shopstack/kernel';
import type { BackupSummary, BackupTarget } from '@shopstack/platform';

/** The platform package, loaded when a backup command runs rather than with every command. */
const platform = () => import('@shopstack/platform');

const DIR_HELP = 'the platform directory (default: SHOPSTACK_PLATFORM_DIR, else ./platform)';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const step = (message: string) => console.log(`  ${message}`);

/** The final backup `store remove` takes: resolves with where it went. */
export function finalBackup(dir: string | undefined): (id: string) => Promise<string> {
  return async (id) => {
    const { createBackup, platformLayout } = await platform();
    return (await createBackup({ layout: platformLayout(dir), store: id })).location;
  };
}

interface BackupCommandOptions {
  dir?: string;
  to?: BackupTarget;
  prune?: boolean;
  list?: boolean;
  json?: boolean;
}

function printBackup(summary: BackupSummary, formatBytes: (bytes: number) => string): void {
  console.log(`Backup ${summary.id} of store ${summary.store} (${summary.target}): ${summary.location}`);
  for (const part of summary.parts)
    console.log(
      `  ${part.name.padEnd(9)} ${part.file.padEnd(16)} ${formatBytes(part.bytes).padStart(9)}  sha256 ${part.sha256.slice(0, 16)}…`,
    );
  console.log(`  total ${formatBytes(summary.bytes)} in ${seconds(summary.elapsedMs)}`);
}

/**
 * `shopstack backup <store>`: a consistent dump of the store's database and its uploads, with a
 * manifest of their sizes and checksums, to the platform's backups directory or S3 (--to).
 */
async function backupCommand(store: string, options: BackupCommandOptions): Promise<void> {
  if (options.list) return backupsCommand(store, { dir: options.dir, from: options.to, json: options.json });
  const { createBackup, formatBytes, platformLayout, pruneBackups } = await platform();
  const layout = platformLayout(options.dir);
  if (!options.json) console.log(`Backing up store ${store}...`);
  const summary = await createBackup({
    layout,
    store,
    ...(options.to ? { target: options.to } : {}),
    ...(options.json ? {} : { report: step }),
  });
  const pruned = options.prune
    ? await pruneBackups({ layout, store, ...(options.to ? { target: options.to } : {}) })
    : undefined;
  if (options.json) {
    const { manifest: _manifest, ...rest } = summary;
    console.log(JSON.stringify({ ...rest, ...(pruned ? { pruned: pruned.deleted } : {}) }, null, 2));
    return;
  }
  printBackup(summary, formatBytes);
  if (pruned)
    console.log(
      pruned.deleted.length
        ? `Pruned ${pruned.deleted.length} backup(s) the retention policy no longer keeps: ${pruned.deleted.join(', ')}`
        : `Pruned nothing: the retention policy keeps all ${pruned.kept} backup(s).`,
    );
}

/** `shopstack backups <store>`: the store's backups, newest first, with time, size and kind. */
async function backupsCommand(
  store: string,
  options: { dir?: string; from?: BackupTarget; json?: boolean },
): Promise<void> {
  const { formatBytes, listBackups, platformLayout } = await platform();
  const backups = (
    await listBackups({
      layout: platformLayout(options.dir),
      store,
      ...(options.from ? { target: options.from } : {}),
    })
  ).reverse();
  if (options.json) {
    console.log(JSON.stringify(backups, null, 2));
    return;
  }
  if (!backups.length) {
    console.log(`Store ${store} has no backups here yet: take one with "shopstack backup ${store}".`);
    return;
  }
  console.log(
    `${'BACKUP'.padEnd(22)}${'TAKEN (UTC)'.padEnd(21)}${'SIZE'.padStart(10)}  ${'DATABASE'.padEnd(10)}WHERE`,
  );
  for (const b of backups) {
    const taken = b.createdAt.slice(0, 19).replace('T', ' ');
    const kind = b.databaseKind ?? (b.complete ? '?' : 'INCOMPLETE');
    console.log(
      `${b.id.padEnd(22)}${taken.padEnd(21)}${formatBytes(b.bytes).padStart(10)}  ${kind.padEnd(10)}${b.location}`,
    );
    if (b.problem) console.log(`  ${b.problem}`);
  }
}

interface RestoreCommandOptions {
  dir?: string;
  from?: BackupTarget;
  as?: string;
  confirm?: boolean;
  undo?: boolean;
}

/**
 * `shopstack restore <store> <backup>`: checks the backup whole, restores it into a new database
 * and uploads directory, switches the store to them (a running platform reopens it) and keeps the
 * old ones until `--confirm` (or `--undo` goes back).
 */
async function restoreCommand(
  store: string,
  backup: string | undefined,
  options: RestoreCommandOptions,
): Promise<void> {
  const { confirmRestore, platformLayout, restoreBackup, undoRestore } = await platform();
  const layout = platformLayout(options.dir);
  if (options.confirm || options.undo) {
    if (backup || (options.confirm && options.undo) || options.as)
      throw new InvalidInput(
        '--confirm and --undo take only the store: shopstack restore <store> --confirm|--undo',
      );
    if (options.confirm) {
      const deleted = await confirmRestore({ layout, store });
      console.log(`Restore of store ${store} confirmed; deleted the previous ${deleted.join(' and ')}.`);
    } else {
      const notified = await undoRestore({ layout, store, report: step });
      console.log(
        `Restore of store ${store} undone: it runs on its previous database again${notified ? '' : ' (when the platform starts)'}.`,
      );
    }
    return;
  }
  if (!backup)
    throw new InvalidInput(
      `Name the backup to restore: an id from "shopstack backups ${store}", or latest.`,
      'backup',
    );
  console.log(
    `Restoring backup ${backup} of store ${store}${options.as ? ` as new store ${options.as}` : ''}...`,
  );
  const summary = await restoreBackup({
    layout,
    store,
    backup,
    ...(options.from ? { from: options.from } : {}),
    ...(options.as ? { as: options.as } : {}),
    report: step,
  });
  const database =
    summary.database.kind === 'embedded' ? `embedded ${summary.database.dir}` : summary.database.url;
  console.log(
    `Restored backup ${summary.backup} into store ${summary.store} (database: ${database}) in ${seconds(summary.elapsedMs)}.`,
  );
  console.log(
    summary.platformNotified
      ? 'The running platform reopened it.'
      : 'No platform runs: it serves the restored data when started.',
  );
  if (summary.previousDatabase)
    console.log(
      `The previous database is kept: "shopstack restore ${store} --confirm" deletes it, "--undo" goes back to it.`,
    );
}

/** `shopstack backup`, `shopstack backups` and `shopstack restore`. */
export function registerBackupCommands(program: Command): void {
  const target = (flags: string, description: string) =>
    new Option(flags, description).choices(['local', 's3']);
  program
    .command('backup')
    .description(
      'back a store up: its database (consistent dump) and uploads, with a manifest of sizes and SHA-256',
    )
    .argument('<store>')
    .addOption(
      target('--to <target>', "local (the platform's backups directory) or s3 (default: the store's policy)"),
    )
    .option('--prune', "then delete the backups the store's retention policy no longer keeps")
    .option('--list', 'list the backups instead (as "shopstack backups")')
    .option('--json', 'print JSON')
    .option('--dir <dir>', DIR_HELP)
    .action(backupCommand);
  program
    .command('backups')
    .description("list a store's backups: id, time, size, database kind, where")
    .argument('<store>')
    .addOption(target('--from <target>', "local or s3 (default: the store's policy)"))
    .option('--json', 'print JSON')
    .option('--dir <dir>', DIR_HELP)
    .action(backupsCommand);
  program
    .command('restore')
    .description(
      'restore a backup into a new database and uploads directory and switch the store to them (checked whole first; ' +
        'the previous database is kept until --confirm)',
    )
    .argument('<store>')
    .argument('[backup]', 'a backup id, latest, or a backup directory')
    .addOption(target('--from <target>', "where the backup is: local or s3 (default: the store's policy)"))
    .option('--as <id>', 'restore into a new store of this id (no domains) instead')
    .option('--confirm', 'keep the last restore: delete the database and uploads it replaced')
    .option('--undo', 'go back to the database and uploads of before the last restore')
    .option('--dir <dir>', DIR_HELP)
    .action(restoreCommand);
}
