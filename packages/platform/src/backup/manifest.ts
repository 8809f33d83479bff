import { Type, type Static } from '@sinclair/typebox';
import { InvalidState } from '@shopstack/kernel';
import { firstError, StoreRecord } from '../store-record.js';

/** The version of the backup format this code writes and reads. */
export const BACKUP_FORMAT = 1;

/** The manifest's own name inside a backup: it is written last, so a backup without one is incomplete. */
export const MANIFEST_FILE = 'manifest.json';

/** One file of a backup, with what it must measure to be intact. */
export const BackupPart = Type.Object(
  {
    /** What the part holds: database or uploads. */
    name: Type.Union([Type.Literal('database'), Type.Literal('uploads')]),
    /** Its file name inside the backup. */
    file: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    bytes: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);
export type BackupPart = Static<typeof BackupPart>;

/** What a backup says about itself (manifest.json). */
export const BackupManifest = Type.Object(
  {
    format: Type.Literal(BACKUP_FORMAT),
    /** The backup's id: its start time (see backupIdAt). */
    id: Type.String({ minLength: 1 }),
    /** The store backed up: its record as it was, so a restore can make a new store of it. */
    store: StoreRecord,
    shopstackVersion: Type.String(),
    createdAt: Type.String(),
    database: Type.Object(
      {
        kind: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
        /** pg_dump's custom format (pg_restore reads it), or PGlite's data directory as a gzip tarball. */
        format: Type.Union([Type.Literal('pg_dump-custom'), Type.Literal('pglite-datadir-tar-gzip')]),
        /** The server's version (PostgreSQL's server_version). */
        serverVersion: Type.String(),
      },
      { additionalProperties: false },
    ),
    /** The migrations applied, per service schema (the kernel's own as kernel/<name>), in order. */
    migrations: Type.Record(Type.String(), Type.Array(Type.String())),
    parts: Type.Array(BackupPart, { minItems: 2, maxItems: 2 }),
    /** How long taking the backup took. */
    elapsedMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type BackupManifest = Static<typeof BackupManifest>;

/** A backup that cannot be restored as it is: incomplete, corrupt or of another format. Nothing was changed. */
export class UnusableBackup extends InvalidState {}

/** Reads a manifest's text; an UnusableBackup names what is wrong with it. */
export function parseManifest(text: string, where: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UnusableBackup(
      `Backup ${where}: ${MANIFEST_FILE} is not valid JSON (${(err as Error).message}).`,
    );
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format !== BACKUP_FORMAT)
    throw new UnusableBackup(
      `Backup ${where} is of format ${format}; this ShopStack reads format ${BACKUP_FORMAT}.`,
    );
  const problem = firstError(BackupManifest, value);
  if (problem) throw new UnusableBackup(`Backup ${where}: ${MANIFEST_FILE} is invalid: ${problem}.`);
  const manifest = value as BackupManifest;
  const names = manifest.parts.map((part) => part.name).sort();
  if (names.join(',') !== 'database,uploads')
    throw new UnusableBackup(
      `Backup ${where}: ${MANIFEST_FILE} must list one database and one uploads part.`,
    );
  return manifest;
}
