import { createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;
/** A startup packet is a few parameters; anything longer is not a PostgreSQL client. */
const MAX_STARTUP_LENGTH = 10_000;
/** The largest message accepted (the largest request body is 10 MB of JSON). */
const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;

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
}

export interface WireServerOptions {
  /** The Unix socket to listen on. PGlite trusts every client: its directory must be private. */
  path: string;
  /** A connection that sits this long inside a transaction, sending nothing, is closed and rolled back. */
  idleInTransactionMs?: number;
  /** PGlite itself failed (not a statement of a client): nothing more can be served. */
  onFatal?: (err: Error) => void;
}

export interface WireServer {
  /** Stops accepting, closes every connection (rolling back an open transaction) and resolves when done. */
  close(): Promise<void>;
  /** Runs work while no connection holds the session: between transactions, never inside one. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Serves one PGlite instance over the PostgreSQL wire protocol on a Unix socket, to any number of
 * client connections.
 *
 * PGlite is a single backend session, so connections take turns: a connection holds the session
 * from its first message until the backend is ready for a query outside a transaction block — the
 * end of a simple query, of an extended-protocol Sync, or of the COMMIT/ROLLBACK of an explicit
 * transaction. While one connection holds it, the others' messages wait in order. This keeps
 * transactions isolated and the unnamed prepared statement of one connection from being replaced by
 * another's between its Parse and its Sync.
 */
export async function serveWireProtocol(db: PGlite, options: WireServerOptions): Promise<WireServer> {
  const lock = new SessionLock();
  const idleInTransactionMs = options.idleInTransactionMs ?? 60_000;
  /** Each open connection's shutdown: closes it and resolves once its last message and rollback ran. */
  const connections = new Map<Socket, () => Promise<void>>();

  const server = createServer((socket) => {
    const owner = {};
    let started = false;
    let closed = false;
    let ending = false;
    // Messages of one connection run strictly in order.
    let chain = Promise.resolve();
    let idleTimer: NodeJS.Timeout | undefined;
    // Bytes received but not yet cut into messages; `needed` is how many the next message takes.
    let chunks: Buffer[] = [];
    let buffered = 0;
    let needed = 0;

    const run = async (message: Uint8Array, endsUnit: boolean): Promise<void> => {
      clearTimeout(idleTimer);
      await lock.acquire(owner);
      if (closed) return;
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
        // A statement's error is an answer on the wire; a throw is the engine itself failing.
        socket.destroy();
        options.onFatal?.(err as Error);
        return;
      }
      if (endsUnit && !db.isInTransaction()) {
        lock.release(owner);
        return;
      }
      // Everyone else waits while this connection is inside a transaction (or half way through a
      // unit whose Sync has not come): it may not sit there for ever.
      idleTimer = setTimeout(() => socket.destroy(), idleInTransactionMs).unref();
    };

    // A connection that goes away in the middle of a transaction must not leave it open for the next one.
    const finish = async (): Promise<void> => {
      clearTimeout(idleTimer);
      if (!lock.holds(owner)) return;
      try {
        if (db.isInTransaction()) await db.exec('rollback');
      } catch {
        // The database is closing; nothing is left to roll back.
      }
      lock.release(owner);
    };

    const shutdown = (): Promise<void> => {
      if (!closed) {
        closed = true;
        chain = chain.then(finish, finish);
        void chain.then(() => connections.delete(socket));
      }
      socket.destroy();
      return chain;
    };
    connections.set(socket, shutdown);

    const refuse = () => {
      chunks = [];
      socket.destroy();
    };

    socket.on('data', (data) => {
      if (ending || closed) return;
      clearTimeout(idleTimer);
      chunks.push(data);
      buffered += data.length;
      if (buffered < needed) return;
      const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
      needed = 0;
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
        const left = buffer.length - offset;
        if (!started) {
          if (left < 8) break;
          const length = buffer.readInt32BE(offset);
          const code = buffer.readInt32BE(offset + 4);
          if (length < 8 || length > MAX_STARTUP_LENGTH) return refuse();
          if (left < length) {
            needed = length;
            break;
          }
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            offset += length;
            batchStart = offset;
            socket.write('N');
            continue;
          }
          // A CancelRequest (PGlite has no other backend to cancel) or an unknown protocol gets no answer.
          if (code !== PROTOCOL_3) return refuse();
          offset += length;
          started = true;
          flush(true);
          continue;
        }
        if (left < 5) break;
        const type = buffer[offset]!;
        const bodyLength = buffer.readInt32BE(offset + 1);
        if (bodyLength < 4 || bodyLength > MAX_MESSAGE_LENGTH) return refuse();
        const length = 1 + bodyLength;
        if (left < length) {
          needed = length;
          break;
        }
        if (type === TERMINATE) {
          // What came before the Terminate still runs (a COMMIT, say); then the connection ends.
          flush(false);
          ending = true;
          chain = chain.then(() => void socket.end());
          chunks = [];
          buffered = 0;
          return;
        }
        offset += length;
        if (type === SYNC || type === QUERY) flush(true);
      }
      flush(false);
      const rest = buffer.subarray(offset);
      chunks = rest.length ? [rest] : [];
      buffered = rest.length;
    });
    socket.on('error', () => {});
    socket.on('close', () => void shutdown());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, resolve);
  });

  return {
    async exclusive(work) {
      const owner = {};
      await lock.acquire(owner);
      try {
        return await work();
      } finally {
        lock.release(owner);
      }
    },
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections.values()].map((shutdown) => shutdown()));
      await closing;
    },
  };
}
