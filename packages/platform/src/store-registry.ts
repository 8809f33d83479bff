import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Conflict, InvalidInput, NotFound, defaultConfig } from '@shopstack/kernel';
import pg from 'pg';
import type { PlatformLayout } from './layout.js';
import { firstError, StoreId, StoreRecord } from './store-record.js';

export interface CreateStoreInput {
  id: string;
  name: string;
  domains: string[];
  currency: string;
  services?: string[];
  workers?: number;
  /**
   * A PostgreSQL server (a URL naming any database on it, e.g. postgres://host/postgres): the store
   * gets a database of its own there. Absent: an embedded database in the store's directory.
   */
  postgresServer?: string;
}

/** Writes a file whole or not at all: a crash half way leaves the previous version. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/** The PostgreSQL database name of a store: its id with dashes as underscores, under a common prefix. */
export function storeDatabaseName(id: string): string {
  return `shopstack_${id.replaceAll('-', '_')}`;
}

/** A server URL with its database replaced; the password, if any, is dropped (PGPASSWORD provides it). */
export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  url.password = '';
  return url.toString();
}

/** The stores of one platform directory: their records, and creating, changing and removing them. */
export class StoreRegistry {
  constructor(readonly layout: PlatformLayout) {}

  /** Every store, by id. */
  list(): StoreRecord[] {
    if (!existsSync(this.layout.storesDir)) return [];
    return readdirSync(this.layout.storesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(this.layout.storeFile(entry.name)))
      .map((entry) => this.get(entry.name))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  has(id: string): boolean {
    return existsSync(this.layout.storeFile(id));
  }

  /** One store's record; NotFound when there is none, InvalidInput when its file is broken. */
  get(id: string): StoreRecord {
    const file = this.layout.storeFile(id);
    if (firstError(StoreId, id) || !existsSync(file))
      throw new NotFound(`No store "${id}" on this platform.`);
    let record: unknown;
    try {
      record = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new InvalidInput(`${file} is not valid JSON: ${(err as Error).message}`, 'store');
    }
    const problem = firstError(StoreRecord, record);
    if (problem) throw new InvalidInput(`${file} is not a valid store: ${problem}`, 'store');
    // A directory copied from another store would otherwise act on that store (and its database).
    if ((record as StoreRecord).id !== id)
      throw new InvalidInput(`${file} names store "${(record as StoreRecord).id}", not "${id}".`, 'store');
    return record as StoreRecord;
  }

  /** The store that answers for a host name, if any. */
  findByDomain(host: string): StoreRecord | undefined {
    return this.list().find((store) => store.domains.includes(host));
  }

  /** Creates the store's directory, record and database (on PostgreSQL); the database is migrated by its first start. */
  async create(input: CreateStoreInput): Promise<StoreRecord> {
    const record: StoreRecord = {
      id: input.id,
      name: input.name,
      domains: [...new Set(input.domains.map((d) => d.toLowerCase()))],
      currency: input.currency,
      enabled: true,
      ...(input.workers !== undefined ? { workers: input.workers } : {}),
      services: input.services ?? defaultConfig.services,
      database: input.postgresServer
        ? { kind: 'postgres', url: databaseUrl(input.postgresServer, storeDatabaseName(input.id)) }
        : { kind: 'embedded', dir: 'database' },
      backup: { target: 'local', keepDaily: 7, keepWeekly: 4 },
      settings: {},
      createdAt: new Date().toISOString(),
    };
    const problem = firstError(StoreRecord, record);
    if (problem) throw new InvalidInput(`Invalid store: ${problem}`, problem.split(':')[0]);
    if (this.has(record.id)) throw new Conflict(`A store "${record.id}" exists already.`);
    for (const domain of record.domains) {
      const owner = this.findByDomain(domain);
      if (owner) throw new Conflict(`The domain ${domain} belongs to store "${owner.id}" already.`);
    }
    if (input.postgresServer) await createDatabase(input.postgresServer, storeDatabaseName(record.id));
    const dir = this.layout.storeDir(record.id);
    mkdirSync(path.join(dir, 'uploads'), { recursive: true });
    this.save(record);
    return record;
  }

  /** Saves a changed record (validated first). */
  save(record: StoreRecord): void {
    const problem = firstError(StoreRecord, record);
    if (problem) throw new InvalidInput(`Invalid store: ${problem}`, problem.split(':')[0]);
    writeFileAtomic(this.layout.storeFile(record.id), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Changes a store's record with `change` and saves it. */
  update(id: string, change: (record: StoreRecord) => StoreRecord): StoreRecord {
    const next = change(this.get(id));
    if (next.id !== id) throw new InvalidInput('A store keeps its id.', 'id');
    for (const domain of next.domains) {
      const owner = this.findByDomain(domain);
      if (owner && owner.id !== id)
        throw new Conflict(`The domain ${domain} belongs to store "${owner.id}" already.`);
    }
    this.save(next);
    return next;
  }

  /** Deletes the store's directory and, on PostgreSQL, its database. Backups are kept. */
  async remove(id: string, postgresServer?: string): Promise<void> {
    const record = this.get(id);
    if (record.database.kind === 'postgres') {
      const server = postgresServer ?? databaseUrl(record.database.url, 'postgres');
      await dropDatabase(server, new URL(record.database.url).pathname.slice(1));
    }
    rmSync(this.layout.storeDir(id), { recursive: true, force: true });
  }

  /**
   * The configuration a store's processes run with: its record as settings of the kernel, every
   * path inside its directory. Written to stores/<id>/run/config.json before they start.
   */
  processConfig(record: StoreRecord): Record<string, unknown> {
    const dir = this.layout.storeDir(record.id);
    const settings = record.settings as Record<string, Record<string, unknown> | unknown>;
    const section = (key: string) => (settings[key] ?? {}) as Record<string, unknown>;
    const database =
      record.database.kind === 'embedded'
        ? { ...section('database'), dir: path.join(dir, record.database.dir) }
        : { ...section('database'), url: record.database.url };
    return {
      ...settings,
      store: { ...section('store'), id: record.id, name: record.name, currency: record.currency },
      services: record.services,
      dataDir: dir,
      database,
      // Uploads stay in the store's directory, where its backups take them from.
      storage: { ...section('storage'), dir: path.join(dir, 'uploads') },
      mail: { ...section('mail'), dir: path.join(dir, 'mail') },
      // A store is seeded when it is created (store create --seed), never by a worker starting.
      seed: { ...section('seed'), demo: false },
    };
  }

  /** Writes the store's process configuration and returns the file's path. */
  writeProcessConfig(record: StoreRecord): string {
    const file = this.layout.storeConfigFile(record.id);
    writeFileAtomic(file, `${JSON.stringify(this.processConfig(record), null, 2)}\n`);
    return file;
  }
}

async function adminQuery(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a database on the server; one that exists already is an error (it may hold another store). */
export async function createDatabase(server: string, name: string): Promise<void> {
  try {
    await adminQuery(server, `create database "${name}"`);
  } catch (err) {
    if ((err as { code?: string }).code === '42P04')
      throw new Conflict(
        `The database ${name} exists already on the server; remove it or pick another store id.`,
      );
    throw err;
  }
}

/** Drops a database, closing any connection still open to it. */
export async function dropDatabase(server: string, name: string): Promise<void> {
  await adminQuery(server, `drop database if exists "${name}" with (force)`);
}
