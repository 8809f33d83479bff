import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A store id: what its directory, its database and `/s/<id>/` are named by. */
export const StoreId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
  description: 'a lower-case slug of letters, digits and dashes (at most 40)',
});

const Domain = Type.String({
  pattern: '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$',
  description: 'a host name such as shop-a.example (lower case, no port)',
});

export const StoreDatabase = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('embedded'),
      /** The PGlite directory, relative to the store's directory. */
      dir: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('postgres'),
      /** The store's own database; a password comes from the environment (PGPASSWORD), not from here. */
      url: Type.String({ pattern: '^postgres(ql)?://' }),
    },
    { additionalProperties: false },
  ),
]);
export type StoreDatabase = Static<typeof StoreDatabase>;

export const BackupPolicy = Type.Object(
  {
    /** Where backups go: the platform's backups directory, or the S3 bucket of the storage settings. */
    target: Type.Union([Type.Literal('local'), Type.Literal('s3')]),
    /** A time of day (UTC, HH:MM) at which the platform backs the store up; absent: no schedule. */
    at: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM (UTC)' })),
    /** Keep the newest backup of each of this many days... */
    keepDaily: Type.Integer({ minimum: 0, maximum: 366 }),
    /** ...and of each of this many weeks. */
    keepWeekly: Type.Integer({ minimum: 0, maximum: 520 }),
  },
  { additionalProperties: false },
);
export type BackupPolicy = Static<typeof BackupPolicy>;

/**
 * A restore not yet confirmed: what the store ran on before it, kept so that `restore --undo` can go
 * back and `restore --confirm` knows what to delete.
 */
export const PendingRestore = Type.Object(
  {
    /** The backup restored. */
    backup: Type.String({ minLength: 1 }),
    /** When it was restored (ISO 8601). */
    at: Type.String(),
    previousDatabase: StoreDatabase,
    /** The uploads directory of before (inside the store's directory), absent when there was none. */
    previousUploads: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$' })),
  },
  { additionalProperties: false },
);
export type PendingRestore = Static<typeof PendingRestore>;

/** One store of the platform, as kept in stores/<id>/store.json. */
export const StoreRecord = Type.Object(
  {
    id: StoreId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    domains: Type.Array(Domain, { maxItems: 50 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 code such as EUR' }),
    enabled: Type.Boolean(),
    /** Worker processes of the live slot; absent: the platform's default (one per core). */
    workers: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    services: Type.Array(Type.String({ pattern: '^[a-z]+$' }), { minItems: 1 }),
    database: StoreDatabase,
    backup: BackupPolicy,
    /** Further settings of the store's processes (any key of the configuration, e.g. catalogue). */
    settings: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Type.String(),
    /** Set by `shopstack restore` until the restore is confirmed or undone. */
    pendingRestore: Type.Optional(PendingRestore),
  },
  { additionalProperties: false },
);
export type StoreRecord = Static<typeof StoreRecord>;

/** The first schema error of a value, as "path: message", or undefined when it is valid. */
export function firstError(schema: Parameters<typeof Value.Errors>[0], value: unknown): string | undefined {
  const error = Value.Errors(schema, value).First();
  if (!error) return undefined;
  const where = error.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
  return `${where}: ${error.schema.description ?? error.message}`;
}
