import {
  ConfigError,
  embeddedDatabaseDir,
  loadConfig,
  startEmbeddedDatabase,
  startServer,
  stopOnSignals,
} from '@shopstack/kernel';
import { knownServices, resolveServices } from './services.js';
import { webApps } from './web-apps.js';

/**
 * `shopstack worker`: one worker process of a platform store, started by `shopstack platform` with
 * the store's configuration file. It tells the platform its port over IPC once it listens.
 */
export async function workerCommand(): Promise<void> {
  const config = loadConfig();
  const services = resolveServices(config.services);
  const server = await startServer({
    config,
    services,
    known: knownServices,
    purpose: 'shopstack worker',
    plugins: webApps(config, { dev: false }),
  });
  stopOnSignals(server, config.server.shutdownTimeoutMs);
  // The platform that started this worker is gone (killed, say): nobody routes here any more.
  process.once('disconnect', () => void server.shutdown('platform gone').then(() => process.exit(0)));
  const port = Number(new URL(server.url).port);
  process.send?.({ type: 'shopstack:listening', port });
}

function sharedBuffersMb(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1)
    throw new ConfigError(
      'SHOPSTACK_DB_SHARED_BUFFERS_MB',
      `SHOPSTACK_DB_SHARED_BUFFERS_MB must be a whole number of MB, got ${raw}`,
    );
  return Number(raw);
}

/**
 * `shopstack database-server`: owns an embedded store's database and serves it on the socket in
 * database.socket to the store's workers. Answers dump requests from the platform over IPC;
 * SIGTERM closes it cleanly.
 */
export async function databaseServerCommand(): Promise<void> {
  const config = loadConfig();
  if (!config.database.socket) throw new Error('database-server needs database.socket (SHOPSTACK_DB_SOCKET)');
  const database = await startEmbeddedDatabase({
    dataDir: embeddedDatabaseDir(config),
    socketDir: config.database.socket,
    purpose: 'shopstack database-server',
    // A platform holds many stores' databases: each keeps a 32 MB buffer cache rather than 128 MB
    // (about 140 MB less resident per store); SHOPSTACK_DB_SHARED_BUFFERS_MB changes it.
    sharedBuffersMb: sharedBuffersMb(process.env.SHOPSTACK_DB_SHARED_BUFFERS_MB ?? '32'),
    onCrash: (err) => {
      console.error(`shopstack: the embedded database stopped: ${err.message}`);
      process.exit(1);
    },
  });
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void database.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  process.on('disconnect', close);
  process.on('message', (message: { type?: string; id?: number; file?: string }) => {
    if (message.type !== 'shopstack:dump' || typeof message.file !== 'string') return;
    database.dump(message.file).then(
      (bytes) => process.send?.({ type: 'shopstack:dumped', id: message.id, bytes }),
      (err: Error) => process.send?.({ type: 'shopstack:dumped', id: message.id, error: err.message }),
    );
  });
  process.send?.({ type: 'shopstack:database-ready' });
}
