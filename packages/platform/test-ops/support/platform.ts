import { rmSync } from 'node:fs';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { request } from 'undici';
import { runCli, startCli, tempDir, type RunningProcess } from '../../../cli/test/cli-process.js';
import { PlatformLayout, storeDatabaseName, type StoreStatus } from '../../src/index.js';

export const POSTGRES_SERVER =
  process.env.SHOPSTACK_TEST_POSTGRES_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  id: string;
  domain: string;
  workers: number;
  /** On the PostgreSQL server rather than embedded. */
  postgres?: boolean;
  products?: number;
}

/** A platform in a child process, on its own directory, for one test file. */
export interface TestPlatform {
  dir: string;
  url: string;
  process: RunningProcess;
  /** Runs `shopstack <args> --dir <dir>`; fails the test on a non-zero exit unless allowed. */
  cli(
    args: string[],
    allowFailure?: boolean,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  status(): Promise<StoreStatus[]>;
  /** PIDs of a store's live workers. */
  livePids(id: string): Promise<number[]>;
  /** Products in stock: their slugs and SKUs (read through the gateway). */
  catalogue(
    storeHeaders: Record<string, string>,
  ): Promise<{ slugs: string[]; skus: string[]; ids: string[] }>;
}

/** A unique suffix per test run, so stores on the shared PostgreSQL server never collide. */
export const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/**
 * Creates the stores (seeded with a small demo catalogue) and starts `shopstack platform` on a free
 * port; everything is stopped and removed when the test ends.
 */
export async function startTestPlatform(
  t: TestContext,
  stores: TestStore[],
  env: Record<string, string> = {},
  /** Runs on the platform directory after the stores are created, before the platform starts. */
  prepare?: (dir: string) => Promise<void>,
  /** More options of `shopstack platform` (e.g. --keep-warm 0). */
  platformArgs: string[] = [],
): Promise<TestPlatform> {
  const dir = tempDir('platform');
  const created: TestStore[] = [];
  t.after(async () => {
    rmSync(dir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    for (const store of created.filter((s) => s.postgres))
      await client.query(`drop database if exists "${storeDatabaseName(store.id)}" with (force)`);
    await client.end();
  });
  const cli = async (args: string[], allowFailure = false) => {
    const result = await runCli([...args, '--dir', dir], { LOG_LEVEL: 'warn', ...env });
    if (result.code !== 0 && !allowFailure)
      throw new Error(
        `shopstack ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    return result;
  };
  for (const store of stores) {
    created.push(store);
    const result = await runCli(
      [
        'store',
        'create',
        store.id,
        '--name',
        `Store ${store.id}`,
        '--domain',
        store.domain,
        '--workers',
        String(store.workers),
        '--seed',
        '--products',
        String(store.products ?? 40),
        '--dir',
        dir,
      ],
      { LOG_LEVEL: 'warn', ...(store.postgres ? { DATABASE_URL: POSTGRES_SERVER } : {}), ...env },
    );
    if (result.code !== 0)
      throw new Error(`store create ${store.id} failed\n${result.stdout}\n${result.stderr}`);
  }
  await prepare?.(dir);
  const platform = startCli(['platform', '--dir', dir, '--port', '0', ...platformArgs], {
    LOG_LEVEL: 'warn',
    ...env,
  });
  t.after(async () => {
    platform.signal('SIGTERM');
    const timer = setTimeout(() => void platform.kill(), 60_000);
    await platform.exited;
    clearTimeout(timer);
  });
  const [, url] = await platform.waitFor(/Gateway listening on (http:\/\/[\d.]+:\d+)/, 180_000);
  const status = async () => {
    const answer = await cli(['status', '--json'], true);
    return (JSON.parse(answer.stdout) as { stores: StoreStatus[] }).stores;
  };
  return {
    dir,
    url: url!,
    process: platform,
    cli,
    status,
    async livePids(id) {
      const store = (await status()).find((s) => s.id === id);
      return (store?.slots.find((s) => s.live)?.workers ?? [])
        .filter((w) => w.state === 'ready')
        .map((w) => w.pid);
    },
    async catalogue(storeHeaders) {
      const response = await request(`${url}/api/catalogue/products?inStock=true&limit=50`, {
        headers: storeHeaders,
      });
      const body = (await response.body.json()) as {
        items: Array<{ id: string; slug: string; variants: Array<{ sku: string; inStock: boolean }> }>;
      };
      return {
        slugs: body.items.map((p) => p.slug),
        ids: body.items.map((p) => p.id),
        skus: body.items.flatMap((p) => p.variants.filter((v) => v.inStock).map((v) => v.sku)),
      };
    },
  };
}

/** Polls until check passes or time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A connection to a store's own database: the embedded one through its database process's socket. */
export async function connectStoreDatabase(platform: TestPlatform, store: TestStore): Promise<pg.Client> {
  const client = store.postgres
    ? new pg.Client({
        connectionString: `${POSTGRES_SERVER.replace(/\/[^/]*$/, '')}/${storeDatabaseName(store.id)}`,
      })
    : new pg.Client({
        host: new PlatformLayout(platform.dir).databaseSocketDir(store.id),
        port: 5432,
        user: 'postgres',
        database: 'postgres',
      });
  await client.connect();
  return client;
}

/** Gives every variant of a store plenty of stock, so a load test's checkouts never run out. */
export async function fillStock(platform: TestPlatform, store: TestStore): Promise<void> {
  const client = await connectStoreDatabase(platform, store);
  try {
    await client.query('update catalogue.variants set on_hand = reserved + 100000');
  } finally {
    await client.end();
  }
}
