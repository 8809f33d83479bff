import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { knownServices, webApps } from '@shopstack/cli';
import type { ShopApp } from '@shopstack/kernel';
import { TEST_ADMIN_TOKEN, TestBackend, testBackends } from '@shopstack/kernel/testing';
import { STOREFRONT_DIST } from '../../server/index.js';

/** The web apps are served from their build: a run without one builds them first. */
export function ensureBuilt(): void {
  const admin = path.resolve(import.meta.dirname, '..', '..', '..', 'admin', 'dist', 'index.html');
  if (existsSync(path.join(STOREFRONT_DIST, 'server', 'entry-server.js')) && existsSync(admin)) return;
  const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
  const result = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web apps failed');
}

export const STAFF = { email: 'staff@web.example', password: 'staff-password-123', name: 'Web Staff' };

export interface WebShop {
  shop: ShopApp;
  url: string;
  mailDir: string;
  close(): Promise<void>;
}

/**
 * A whole store as `shopstack start` serves it (every service, the storefront and the admin) on a
 * free port of 127.0.0.1, with the demo data, a staff account, fast fulfilment and mail in files.
 */
export async function startWebShop(products = 40): Promise<WebShop> {
  ensureBuilt();
  // PostgreSQL when the suite runs on it (faster for a browser's parallel requests), else PGlite.
  const backend = new TestBackend(testBackends().includes('postgres') ? 'postgres' : 'pglite');
  await backend.open();
  const mailDir = mkdtempSync(path.join(tmpdir(), 'shopstack-web-mail-'));
  const config = backend.config({
    mail: { dir: mailDir, intervalMs: 100, retryDelayMs: 100 },
    events: { relayIntervalMs: 50 },
    shipping: {
      carrierDelaysMs: { labelCreated: 200, inTransit: 200, delivered: 200 },
      carrierIntervalMs: 100,
    },
  });
  const shop = await backend.buildApp({
    services: [...knownServices],
    known: [...knownServices],
    config: {
      mail: { dir: mailDir, intervalMs: 100, retryDelayMs: 100 },
      events: { relayIntervalMs: 50 },
      shipping: {
        carrierDelaysMs: { labelCreated: 200, inTransit: 200, delivered: 200 },
        carrierIntervalMs: 100,
      },
    },
    seed: { products, seed: 7, ifEmpty: true, report: () => undefined },
    plugins: webApps(config),
  });
  const staff = await shop.app.inject({
    method: 'POST',
    url: '/api/users/staff',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    payload: { ...STAFF, role: 'admin' },
  });
  if (staff.statusCode !== 201)
    throw new Error(`creating the staff account answered ${staff.statusCode}: ${staff.body}`);
  const address = await shop.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    shop,
    url: address,
    mailDir,
    async close() {
      await backend.close();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

/** The text of every e-mail written so far. */
export function mails(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, name.name);
      if (name.isDirectory()) walk(full);
      else if (name.name.endsWith('.eml')) out.push(readFileSync(full, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}
