import type { Command } from 'commander';

/** The final backup `store remove` takes: resolves with where it went. */
export function finalBackup(dir: string | undefined): (id: string) => Promise<string> {
  return async (id) => {
    throw new Error(
      `backups are not available yet (store ${id}, platform ${dir ?? 'default'}): use --no-backup`,
    );
  };
}

/** `shopstack backup` and `shopstack restore`. */
export function registerBackupCommands(program: Command): void {
  void program;
}
