import { createInterface } from 'node:readline/promises';
import { InvalidInput, loadConfig } from '@shopstack/kernel';
import {
  ControlClient,
  PlatformNotRunning,
  platformLayout,
  StoreRegistry,
  type StoreRecord,
} from '@shopstack/platform';
import { seedStoreDatabase } from './seed.js';
import { resolveServices } from './services.js';

export interface PlatformDirOption {
  dir?: string;
}

export interface StoreCreateOptions extends PlatformDirOption {
  name: string;
  domain: string[];
  currency: string;
  services?: string;
  workers?: number;
  seed?: boolean;
  products?: number;
}

/**
 * Tells a running platform that the stores changed, so it starts, stops or takes up a store now.
 * Without a running platform there is nothing to tell: it reads the stores when it starts.
 */
export async function tellRunningPlatform(dir: string | undefined): Promise<void> {
  const client = new ControlClient(platformLayout(dir));
  try {
    await client.operation('/sync', (message) => console.log(`platform: ${message}`));
  } catch (err) {
    if (!(err instanceof PlatformNotRunning)) throw err;
  } finally {
    await client.close();
  }
}

/** The environment a store's own commands (seed, migrate) run with: its configuration file, nothing else. */
export function storeCommandConfig(registry: StoreRegistry, record: StoreRecord) {
  const file = registry.writeProcessConfig(record);
  return loadConfig({
    env: { SHOPSTACK_ENV: process.env.SHOPSTACK_ENV ?? process.env.NODE_ENV, SHOPSTACK_CONFIG: file },
  });
}

/** `shopstack store create <id>`: a new isolated store with its own database, configuration and uploads. */
export async function storeCreateCommand(id: string, options: StoreCreateOptions): Promise<void> {
  const registry = new StoreRegistry(platformLayout(options.dir));
  const services = options.services
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (services) resolveServices(services);
  const record = await registry.create({
    id,
    name: options.name,
    domains: options.domain,
    currency: options.currency,
    ...(services ? { services } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(process.env.DATABASE_URL ? { postgresServer: process.env.DATABASE_URL } : {}),
  });
  console.log(`Created store ${record.id} (${record.name}) in ${registry.layout.storeDir(record.id)}`);
  console.log(`Database: ${record.database.kind === 'embedded' ? 'embedded (PGlite)' : record.database.url}`);
  if (record.domains.length) console.log(`Domains: ${record.domains.join(', ')}`);
  const config = storeCommandConfig(registry, record);
  await seedStoreDatabase(
    config,
    options.seed ? { products: options.products ?? config.seed.products } : undefined,
  );
  await tellRunningPlatform(options.dir);
}

function describe(record: StoreRecord): string {
  const workers = record.workers ?? 'one per core';
  return [
    `${record.id}  ${record.enabled ? 'enabled' : 'disabled'}`,
    `  name:      ${record.name}`,
    `  domains:   ${record.domains.join(', ') || '(none: reach it by /s/<id>/ or X-Store)'}`,
    `  currency:  ${record.currency}`,
    `  services:  ${record.services.join(', ')}`,
    `  workers:   ${workers}`,
    `  database:  ${record.database.kind === 'embedded' ? `embedded (${record.database.dir})` : record.database.url}`,
    `  backups:   ${record.backup.target}${record.backup.at ? ` daily at ${record.backup.at} UTC` : ', on demand'}, keep ${record.backup.keepDaily} daily and ${record.backup.keepWeekly} weekly`,
  ].join('\n');
}

/** `shopstack store list`. */
export function storeListCommand(options: PlatformDirOption & { json?: boolean }): void {
  const stores = new StoreRegistry(platformLayout(options.dir)).list();
  if (options.json) {
    console.log(JSON.stringify(stores, null, 2));
    return;
  }
  if (!stores.length) {
    console.log('No stores yet: create one with "shopstack store create <id> --name ..."');
    return;
  }
  for (const store of stores) {
    console.log(
      `${store.id.padEnd(20)} ${(store.enabled ? 'enabled' : 'disabled').padEnd(9)} ${store.currency}  ${store.database.kind.padEnd(8)}  ${store.domains.join(', ')}`,
    );
  }
}

/** `shopstack store show <id>`. */
export function storeShowCommand(id: string, options: PlatformDirOption & { json?: boolean }): void {
  const record = new StoreRegistry(platformLayout(options.dir)).get(id);
  console.log(options.json ? JSON.stringify(record, null, 2) : describe(record));
}

/** `shopstack store disable|enable <id>`. */
export async function storeEnableCommand(
  id: string,
  enabled: boolean,
  options: PlatformDirOption,
): Promise<void> {
  const registry = new StoreRegistry(platformLayout(options.dir));
  registry.update(id, (record) => ({ ...record, enabled }));
  console.log(`Store ${id} ${enabled ? 'enabled' : 'disabled'}.`);
  await tellRunningPlatform(options.dir);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export interface StoreRemoveOptions extends PlatformDirOption {
  yes?: boolean;
  /** Skip the final backup (a store whose data nobody wants). */
  backup?: boolean;
}

/**
 * `shopstack store remove <id>`: asks for confirmation (or --yes), takes a final backup, stops the
 * store on a running platform, then deletes its directory and database.
 */
export async function storeRemoveCommand(
  id: string,
  options: StoreRemoveOptions,
  finalBackup: (id: string) => Promise<string>,
): Promise<void> {
  const registry = new StoreRegistry(platformLayout(options.dir));
  const record = registry.get(id);
  if (!options.yes && !(await confirm(`Remove store ${id} (${record.name}) and its database?`))) {
    throw new InvalidInput('Not removed: confirm with --yes (or answer y at the prompt).', 'yes');
  }
  if (options.backup !== false) console.log(`Final backup: ${await finalBackup(id)}`);
  registry.update(id, (r) => ({ ...r, enabled: false }));
  await tellRunningPlatform(options.dir);
  await registry.remove(id, process.env.DATABASE_URL);
  console.log(`Removed store ${id}.`);
}

export interface StoreSetOptions extends PlatformDirOption {
  name?: string;
  domain?: string[];
  workers?: number;
  backupAt?: string;
  keepDaily?: number;
  keepWeekly?: number;
  backupTo?: 'local' | 's3';
}

/**
 * `shopstack store set <id>`: changes a store's name, domains, worker count or backup policy. A
 * running platform routes new domains at once; other changes apply at the store's next restart.
 */
export async function storeSetCommand(id: string, options: StoreSetOptions): Promise<void> {
  const registry = new StoreRegistry(platformLayout(options.dir));
  const record = registry.update(id, (current) => {
    const backup = { ...current.backup };
    if (options.backupAt === 'off') delete backup.at;
    else if (options.backupAt !== undefined) backup.at = options.backupAt;
    if (options.keepDaily !== undefined) backup.keepDaily = options.keepDaily;
    if (options.keepWeekly !== undefined) backup.keepWeekly = options.keepWeekly;
    if (options.backupTo !== undefined) backup.target = options.backupTo;
    return {
      ...current,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.domain?.length
        ? { domains: [...new Set(options.domain.map((d) => d.toLowerCase()))] }
        : {}),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      backup,
    };
  });
  console.log(describe(record));
  await tellRunningPlatform(options.dir);
}
