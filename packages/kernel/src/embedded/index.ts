import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDirectory } from './lock.js';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage, EmbeddedWorkerRequest } from './worker.js';
export { restoreEmbeddedDatabase, removeEmbeddedDatabase } from './restore.js';

/** Where to reach an embedded database: settings for a `pg` client over its Unix socket. */
export interface EmbeddedConnection {
  host: string;
  port: number;
  user: string;
  database: string;
}

/** A PGlite database running on a thread of its own, served over the PostgreSQL wire protocol. */
export interface EmbeddedDatabase {
  readonly connection: EmbeddedConnection;
  /**
   * Writes a consistent copy of the whole database (PGlite's data directory as a gzip tarball) to
   * file, taken between transactions; resolves with its size in bytes.
   */
  dump(file: string): Promise<number>;
  /** Closes every connection, writes the data directory and stops the thread. */
  close(): Promise<void>;
}

export interface StartEmbeddedOptions {
  /** The data directory (created when missing). Absent: an in-memory database. */
  dataDir?: string;
  /** Start from this gzip tarball of a data directory, in memory (test databases). */
  template?: string;
  /** Recorded in the data directory's lock file: who holds it. */
  purpose?: string;
  /** Called if the database thread dies while it is serving. */
  onCrash?: (err: Error) => void;
  /**
   * Serve on a socket in this directory (created private, kept on close) rather than in a new
   * temporary one: other processes can find it again after a restart.
   */
  socketDir?: string;
  /** PostgreSQL's buffer cache in MB (resident memory of the process); absent: 128 MB. */
  sharedBuffersMb?: number;
}

const PORT = 5432;

/**
 * Starts PGlite on a worker thread and serves it on a private Unix socket. PGlite runs every query
 * on the thread that calls it, so a long statement on the HTTP thread would stop liveness probes,
 * signals and every other request; on its own thread it only keeps the database busy.
 */
export async function startEmbeddedDatabase(options: StartEmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const release = options.dataDir
    ? lockDataDirectory(options.dataDir, options.purpose ?? `pid ${process.pid}`)
    : () => {};
  let socketDir: string | undefined;
  const socketPath = () => path.join(socketDir!, `.s.PGSQL.${PORT}`);
  const cleanUp = () => {
    process.removeListener('exit', cleanUp);
    if (socketDir && options.socketDir) rmSync(socketPath(), { force: true });
    else if (socketDir) rmSync(socketDir, { recursive: true, force: true });
    release();
  };
  let worker: Worker;
  try {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    // A directory only this user can enter keeps other local users off the socket (PGlite trusts every client).
    if (options.socketDir) {
      mkdirSync(options.socketDir, { recursive: true, mode: 0o700 });
      chmodSync(options.socketDir, 0o700);
      socketDir = options.socketDir;
      // A socket left by a process that died (the data directory's lock says it is gone) is stale.
      rmSync(socketPath(), { force: true });
    } else {
      socketDir = mkdtempSync(path.join(tmpdir(), 'shopstack-db-'));
    }
    // A process that exits without closing the database leaves no socket directory behind.
    process.once('exit', cleanUp);
    const data: EmbeddedWorkerData = {
      dataDir: options.dataDir && path.resolve(options.dataDir),
      template: options.template,
      socketPath: socketPath(),
      ...(options.sharedBuffersMb !== undefined ? { sharedBuffersMb: options.sharedBuffersMb } : {}),
    };
    worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: data });
  } catch (err) {
    cleanUp();
    throw err;
  }

  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let startFailed: ((err: Error) => void) | undefined;
  const onStartExit = (code: number) =>
    startFailed?.(new Error(`The embedded database stopped while starting (exit ${code})`));
  try {
    await new Promise<void>((resolve, reject) => {
      startFailed = reject;
      worker.once('error', reject);
      worker.once('exit', onStartExit);
      worker.on('message', (message: EmbeddedWorkerMessage) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'failed')
          reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
      });
    });
  } catch (err) {
    await worker.terminate();
    cleanUp();
    throw err;
  }
  startFailed = undefined;
  worker.removeAllListeners('error');
  worker.off('exit', onStartExit);
  // A thread that fails reports an error and then exits: the crash is reported once.
  let crashed = false;
  const crash = (err: Error) => {
    if (closing || crashed) return;
    crashed = true;
    options.onCrash?.(err);
  };
  let failure: string | undefined;
  worker.on('message', (message: EmbeddedWorkerMessage) => {
    if (message.type === 'failed') failure = message.message;
  });
  worker.on('error', crash);
  worker.once('exit', (code) => {
    crash(new Error(`The embedded database stopped (exit ${code})${failure ? `: ${failure}` : ''}`));
    cleanUp();
  });

  let dumps = 0;
  const pendingDumps = new Map<number, { resolve: (bytes: number) => void; reject: (err: Error) => void }>();
  worker.on('message', (message: EmbeddedWorkerMessage) => {
    if (message.type !== 'dumped') return;
    const pending = pendingDumps.get(message.id);
    pendingDumps.delete(message.id);
    if (message.error !== undefined)
      pending?.reject(new Error(`Dumping the database failed: ${message.error}`));
    else pending?.resolve(message.bytes ?? 0);
  });
  void exited.then(() => {
    for (const pending of pendingDumps.values()) pending.reject(new Error('The embedded database stopped'));
    pendingDumps.clear();
  });

  return {
    connection: { host: socketDir!, port: PORT, user: 'postgres', database: 'postgres' },
    dump(file) {
      if (closing || crashed) return Promise.reject(new Error('The embedded database is not running'));
      const id = ++dumps;
      return new Promise<number>((resolve, reject) => {
        pendingDumps.set(id, { resolve, reject });
        worker.postMessage({ type: 'dump', id, file: path.resolve(file) } satisfies EmbeddedWorkerRequest);
      });
    },
    async close() {
      if (closing) return exited;
      closing = true;
      worker.postMessage('close' satisfies EmbeddedWorkerRequest);
      // A thread that cannot finish its close in time is stopped; the data directory was written per statement.
      const timer = setTimeout(() => void worker.terminate(), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
