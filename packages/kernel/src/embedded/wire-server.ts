import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** Message types after which the backend answers ReadyForQuery: the end of one unit of work. */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** A FIFO lock: the connection holding it is the only one whose messages reach PGlite. */
class SessionLock {
  private holder: object | undefined;
  private readonly waiting: Array<{ owner: object; grant: () => void }> = [];

  holds(owner: object): boolean {
    return this.holder === owner;
  }

  acquire(owner: object): Promise<void> {
    if (this.holder === owner) return Promise.resolve();
    if (this.holder === undefined) {
      this.holder = owner;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ owner, grant }));
  }

  release(owner: object): void {
    if (this.holder !== owner) return;
    const next = this.waiting.shift();
    this.holder = next?.owner;
    next?.grant();
  }

  /** Drops a connection's place in the queue (it closed while waiting). */
  forget(owner: object): void {
    const i = this.waiting.findIndex((w) => w.owner === owner);
    if (i >= 0) this.waiting.splice(i, 1);
    this.release(owner);
  }
}

export interface WireServer {
  /** Stops accepting, closes every connection (rolling back an open transaction) and resolves when done. */
  close(): Promise<void>;
}

/**
 * Serves one PGlite instance over the PostgreSQL wire protocol on a Unix socket (or TCP port), to
 * any number of client connections.
 *
 * PGlite is a single backend session, so connections take turns: a connection holds the session
 * from its first message until the backend is ready for a query outside a transaction block — the
 * end of a simple query, of an extended-protocol Sync, or of the COMMIT/ROLLBACK of an explicit
 * transaction. While one connection holds it, the others' messages wait in order. This keeps
 * transactions isolated and the unnamed prepared statement of one connection from being replaced by
 * another's between its Parse and its Sync.
 */
export async function serveWireProtocol(
  db: PGlite,
  listen: { path: string } | { host: string; port: number },
): Promise<WireServer & { address: string | { host: string; port: number } }> {
  const lock = new SessionLock();
  const sockets = new Set<Socket>();
  // What each open connection still has to run; close() waits for it.
  const pending = new Map<Socket, () => Promise<void>>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const owner = {};
    let buffer = Buffer.alloc(0);
    let started = false;
    let closed = false;
    // Messages of one connection run strictly in order.
    let chain = Promise.resolve();
    pending.set(socket, () => chain);

    const run = async (message: Uint8Array, endsUnit: boolean): Promise<void> => {
      await lock.acquire(owner);
      if (closed) {
        await finish();
        return;
      }
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(message, {
            syncToFs: endsUnit,
            // The data is a view of PGlite's memory, reused by the next message: copy it before queuing.
            onRawData: (data) => {
              if (!socket.destroyed) socket.write(Buffer.from(data));
            },
          }),
        );
      } catch (err) {
        socket.destroy(err as Error);
      }
      if (endsUnit && !db.isInTransaction()) lock.release(owner);
    };

    // A connection that goes away in the middle of a transaction must not leave it open for the next one.
    const finish = async (): Promise<void> => {
      if (!lock.holds(owner)) {
        lock.forget(owner);
        return;
      }
      try {
        if (db.isInTransaction()) await db.exec('rollback');
      } catch {
        // The database is closing; nothing is left to roll back.
      }
      lock.release(owner);
    };

    const onClose = () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      chain = chain.then(finish, finish);
      void chain.then(() => pending.delete(socket));
    };

    socket.on('data', (data) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      // Complete messages are cut off the buffer; all those up to a unit's end go to PGlite in one call.
      let batchStart = 0;
      let offset = 0;
      const flush = (endsUnit: boolean) => {
        if (offset > batchStart) {
          const message = new Uint8Array(buffer.subarray(batchStart, offset));
          chain = chain.then(() => run(message, endsUnit));
        }
        batchStart = offset;
      };
      while (true) {
        if (!started) {
          if (buffer.length - offset < 8) break;
          const length = buffer.readInt32BE(offset);
          const code = buffer.readInt32BE(offset + 4);
          if (buffer.length - offset < length) break;
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            offset += length;
            batchStart = offset;
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST || code !== PROTOCOL_3) {
            // PGlite has no other backend to cancel; an unknown protocol gets no answer either.
            socket.destroy();
            return;
          }
          offset += length;
          started = true;
          flush(true);
          continue;
        }
        if (buffer.length - offset < 5) break;
        const type = buffer[offset]!;
        const length = 1 + buffer.readInt32BE(offset + 1);
        if (buffer.length - offset < length) break;
        if (type === TERMINATE) {
          flush(false);
          socket.end();
          onClose();
          return;
        }
        offset += length;
        if (type === SYNC || type === QUERY) flush(true);
      }
      flush(false);
      buffer = buffer.subarray(offset);
    });
    socket.on('error', () => {});
    socket.on('close', onClose);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in listen) server.listen(listen.path, resolve);
    else server.listen(listen.port, listen.host, resolve);
  });
  const bound = server.address();
  const address =
    typeof bound === 'string' || !bound ? (bound ?? '') : { host: bound.address, port: bound.port };

  return {
    address,
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([...pending.values()].map((chain) => chain()));
      await closing;
    },
  };
}
