import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { serveWireProtocol } from './wire-server.js';

/** What the embedded database thread is asked to serve (see embedded/index.ts). */
export interface EmbeddedWorkerData {
  /** The data directory; absent for an in-memory database. */
  dataDir?: string;
  /** A gzip tarball of a data directory to start from (an in-memory copy; tests use a template). */
  template?: string;
  socketPath: string;
  /** PostgreSQL's buffer cache in MB; absent: PGlite's default (128 MB). */
  sharedBuffersMb?: number;
}

/**
 * PGlite's own start parameters plus a smaller buffer cache. The cache lives in the WebAssembly
 * heap, so it is resident memory of the process; the data files behind it stay in the operating
 * system's page cache, so a smaller one costs little for a store's database.
 */
function startParams(sharedBuffersMb: number | undefined): { startParams?: string[] } {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams;
  if (sharedBuffersMb === undefined || !Array.isArray(defaults)) return {};
  return { startParams: [...defaults, '-c', `shared_buffers=${sharedBuffersMb}MB`] };
}

export type EmbeddedWorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'closed' }
  | { type: 'dumped'; id: number; bytes?: number; error?: string };

/** What the owning thread asks of the database thread. */
export type EmbeddedWorkerRequest = 'close' | { type: 'dump'; id: number; file: string };

const data = workerData as EmbeddedWorkerData;
const port = parentPort!;
const post = (message: EmbeddedWorkerMessage) => port.postMessage(message);

try {
  const db = await PGlite.create(data.dataDir ?? 'memory://', {
    extensions: { pg_trgm },
    ...startParams(data.sharedBuffersMb),
    ...(data.template ? { loadDataDir: new Blob([readFileSync(data.template)]) } : {}),
  });
  const server = await serveWireProtocol(db, {
    path: data.socketPath,
    // The engine failed: end the thread, so the process sees its database gone instead of serving errors.
    onFatal: (err) => {
      post({ type: 'failed', message: err.message });
      process.exit(1);
    },
  });
  port.on('message', (message: EmbeddedWorkerRequest) => {
    if (typeof message === 'object' && message.type === 'dump') {
      const { id, file } = message;
      // Between transactions the data directory is consistent: no connection is half way through one.
      server
        .exclusive(() => db.dumpDataDir('gzip'))
        .then(async (blob) => {
          const bytes = Buffer.from(await blob.arrayBuffer());
          writeFileSync(`${file}.partial`, bytes);
          renameSync(`${file}.partial`, file);
          post({ type: 'dumped', id, bytes: bytes.length });
        })
        .catch((err: Error) => post({ type: 'dumped', id, error: err.message }));
      return;
    }
    if (message !== 'close') return;
    void (async () => {
      await server.close();
      await db.close();
      post({ type: 'closed' });
      port.close();
    })();
  });
  post({ type: 'ready' });
} catch (err) {
  const { message, code } = err as { message?: string; code?: string };
  post({ type: 'failed', message: message ?? String(err), code });
  port.close();
}
