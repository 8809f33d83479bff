import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { FastifyPluginAsync } from 'fastify';
import pg from 'pg';
import { buildApp, type AnyService, type BuildAppOptions, type ShopApp } from '../../src/app.js';
import { loadConfig, type Config, type ConfigOverrides } from '../../src/config.js';
import { openDatabase, type Database, type DatabaseKind } from '../../src/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/embedded/index.js';
import type { Actor, StaffRole } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { mintServiceToken } from '../../src/service-token.js';
import type { SeedOptions } from '../../src/service.js';
import { migrateAll } from '../../src/server.js';

/** The PostgreSQL server tests use; each test file creates (and drops) its own database on it. */
export const TEST_POSTGRES_URL =
  process.env.SHOPSTACK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The RabbitMQ broker tests use; each test names its own exchange and queues (events.prefix) and removes them. */
export const TEST_AMQP_URL = process.env.SHOPSTACK_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The bootstrap token of test stores: it admits only the creation of staff accounts. */
export const TEST_ADMIN_TOKEN = 'test-staff-token-0123456789abcdefghijklmnop';
/** The service secret of test stores: tokens minted with it carry any actor to a service. */
export const TEST_SERVICE_SECRET = 'test-service-secret-0123456789abcdefghijklmnop';

/**
 * A bearer token that makes a test's request act as the given actor at one service, as a service
 * passing a call on would (valid for an hour, so a slow run does not see it expire).
 */
export async function actAs(
  actor: Actor,
  audience: string,
  options: { storeId?: string; caller?: string } = {},
): Promise<string> {
  return mintServiceToken(
    {
      secret: TEST_SERVICE_SECRET,
      storeId: options.storeId ?? 'demo',
      caller: options.caller ?? 'test',
      audience,
      lifetimeSeconds: 3600,
    },
    { actor },
  );
}

/** Authorization headers of a staff member (role admin unless said) at one service. */
export async function staffHeadersFor(
  audience: string,
  role: StaffRole = 'admin',
): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${await actAs({ kind: 'staff', id: `test-${role}`, role }, audience)}` };
}

/** Backends the suite runs on: both unless SHOPSTACK_TEST_BACKENDS narrows it (e.g. "pglite"). */
export function testBackends(): DatabaseKind[] {
  const raw = process.env.SHOPSTACK_TEST_BACKENDS ?? 'pglite,postgres';
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is DatabaseKind => s === 'pglite' || s === 'postgres');
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * PGlite's initdb takes seconds and much memory, so it runs once per machine: the fresh data
 * directory is dumped to a tarball in the temp dir, and every test file starts from a copy of it.
 * Returns the tarball's path.
 */
export async function pgliteTemplate(): Promise<string> {
  const entry = new URL(import.meta.resolve('@electric-sql/pglite')).pathname;
  const pkgFile = path.join(entry.slice(0, entry.lastIndexOf('/dist/')), 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  const dir = path.join(tmpdir(), 'shopstack-test');
  const file = path.join(dir, `pglite-template-${pkg.version}.tar.gz`);
  if (!existsSync(file)) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const fresh = await PGlite.create({ extensions: { pg_trgm } });
    await fresh.exec('create extension if not exists pg_trgm');
    const dump = await fresh.dumpDataDir('gzip');
    await fresh.close();
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, file);
  }
  return file;
}

/** An embedded database (on its own thread, as in production) started from the template. */
export async function embeddedFromTemplate(): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase({ template: await pgliteTemplate() });
}

export interface BuildTestAppOptions {
  services: AnyService[];
  /** Services reached over HTTP when the configuration gives their URL (serviceUrls). */
  known?: AnyService[];
  /** Demo data to seed once the services started. */
  seed?: SeedOptions;
  config?: ConfigOverrides;
  /** Extra plugins registered after the services (probe routes). */
  plugins?: FastifyPluginAsync[];
  /** The event bus, the relay's lease and its crash hook (see BuildAppOptions.events). */
  events?: BuildAppOptions['events'];
}

/** One backend for one test file: a PGlite instance or a fresh PostgreSQL database, shared by its tests. */
export class TestBackend {
  private embedded?: EmbeddedDatabase;
  private databaseName?: string;
  private readonly opened: Array<{ close(): Promise<void> }> = [];
  /** Where the apps of this backend keep uploaded files, unless a test says otherwise; removed on close. */
  private readonly storageDir = path.join(tmpdir(), uniqueName('shopstack-uploads'));

  constructor(readonly kind: DatabaseKind) {}

  get postgresUrl(): string | undefined {
    if (!this.databaseName) return undefined;
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${this.databaseName}`;
    return url.toString();
  }

  async open(): Promise<void> {
    if (this.kind === 'pglite') {
      this.embedded = await embeddedFromTemplate();
      return;
    }
    this.databaseName = uniqueName('shopstack_test');
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`create database ${this.databaseName}`);
    } finally {
      await admin.end();
    }
  }

  /** A configuration for this backend; every call isolates its services in schemas of their own. */
  config(overrides: ConfigOverrides = {}): Config {
    return loadConfig({
      env: {},
      overrides: {
        env: 'test',
        log: { level: 'silent' },
        auth: { adminToken: TEST_ADMIN_TOKEN, serviceSecret: TEST_SERVICE_SECRET },
        ...overrides,
        storage: { dir: this.storageDir, ...overrides.storage },
        database: {
          url: this.postgresUrl,
          poolSize: 20,
          schemaPrefix: `${uniqueName('t').slice(0, 24)}_`,
          ...overrides.database,
        },
      },
    });
  }

  /** Opens a database handle on this backend (PGlite handles share the file's embedded database). */
  async database(config: Config): Promise<Database> {
    const database = await openDatabase(config, this.embedded ? { embedded: this.embedded } : {});
    this.opened.push(database);
    return database;
  }

  /** Migrates the given services into fresh schemas and builds an app on them; closed with the backend. */
  async buildApp(options: BuildTestAppOptions): Promise<ShopApp> {
    const config = this.config(options.config);
    const database = await this.database(config);
    await migrateAll(database, options.services);
    const shop = await buildApp({
      config,
      database,
      services: options.services,
      known: options.known,
      seed: options.seed,
      logger: createLogger(config),
      plugins: options.plugins,
      ...(options.events ? { events: options.events } : {}),
    });
    this.opened.unshift({ close: () => shop.app.close() });
    return shop;
  }

  async close(): Promise<void> {
    for (const item of this.opened.splice(0)) await item.close().catch(() => {});
    rmSync(this.storageDir, { recursive: true, force: true });
    if (this.embedded) {
      await this.embedded.close();
      this.embedded = undefined;
    }
    if (this.databaseName) {
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${this.databaseName} with (force)`);
      } finally {
        await admin.end();
      }
      this.databaseName = undefined;
    }
  }
}

/** Declares the same suite once per backend; the body gets the backend, opened before its tests run. */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const kind of testBackends()) {
    describe(`${title} [${kind}]`, () => {
      const backend = new TestBackend(kind);
      before(() => backend.open(), { timeout: 120_000 });
      after(() => backend.close(), { timeout: 60_000 });
      body(backend);
    });
  }
}
export * from './bad-requests.js';
export * from './schema-check.js';
export * from './openapi-lint.js';
export * from './bad-input-sweep.js';
export * from './problem-fault.js';
export * from './sweep-requests.js';
export * from './table-fingerprint.js';
export * from './client-parity.js';
export * from './tcp-proxy.js';
export * from './rabbitmq.js';
export * from './s3-server.js';
