import { CompiledQuery, Kysely, PostgresDialect, sql, type DatabaseConnection } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { embeddedDatabaseDir, type Config } from './config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded/index.js';

// Integers that fit in JS numbers come back as numbers on both backends.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * Session settings every connection gets. The trigram thresholds make `<%` (word similarity) match
 * names with a typo or two, so the catalogue's typo-tolerant search can use its trigram index.
 * JIT compilation is off: it costs hundreds of milliseconds on the aggregate queries that facets
 * run, far more than it saves on queries of this size.
 */
const SESSION_SETTINGS = [
  'set pg_trgm.word_similarity_threshold = 0.45',
  'set pg_trgm.similarity_threshold = 0.3',
  'set jit = off',
];

async function applySessionSettings(connection: DatabaseConnection): Promise<void> {
  for (const statement of SESSION_SETTINGS) await connection.executeQuery(CompiledQuery.raw(statement));
}

/** Most statements one connection keeps prepared; statements beyond them are parsed each time. */
const MAX_PREPARED_PER_CONNECTION = 500;

/**
 * Makes a connection prepare each parameterised statement once, under a name derived from its
 * text, and run it by that name from then on: the database skips parsing it again and, once it has
 * seen a few runs, planning it too (its plan cache). A statement's text is the same for every call
 * of a query (values travel apart), so the few hundred statements of the shop are prepared once per
 * connection. Statements without parameters (begin, commit, settings) are sent as they are.
 */
function preparingStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // Statement text -> its name on this connection: the name is hashed once per statement.
  const prepared = new Map<string, string>();
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      let name = prepared.get(text);
      if (name === undefined && prepared.size < MAX_PREPARED_PER_CONNECTION) {
        name = `s${createHash('sha256').update(text).digest('base64url').slice(0, 27)}`;
        prepared.set(text, name);
      }
      if (name !== undefined) return query({ name, text, values }, callback);
    }
    return query(text, values, callback);
  }) as typeof client.query;
}

export type DatabaseKind = 'pglite' | 'postgres';

/** A connection to one store's database: embedded PGlite or a PostgreSQL pool. */
export interface Database {
  readonly kind: DatabaseKind;
  /** The store's database; each service gets it typed with its own tables (ServiceRuntime.db). */
  readonly db: Kysely<unknown>;
  /** The connection pool under `db`, for libraries that take a pg pool (rate limiters, say). */
  readonly pool: pg.Pool;
  /** Prefix put before each service's schema name (used to isolate tests that share one database). */
  readonly schemaPrefix: string;
  /** The Postgres schema that a service owns. */
  schemaFor(service: string): string;
  /**
   * Subscribes to a notification channel shared by every process on this database (PostgreSQL
   * LISTEN/NOTIFY). Returns an unsubscribe function. PGlite lives in one process, so it has no
   * other process to hear from: there it returns a no-op.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /** Sends a notification to every listener of the channel (after the current transaction, if any). */
  notify(channel: string, payload: string): Promise<void>;
  /** Round-trips `select 1`; resolves with the latency in milliseconds. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Connect to this running embedded database instead of starting the store's own (tests share one). */
  embedded?: EmbeddedDatabase;
  /** Recorded in the embedded data directory's lock: who holds it (e.g. "shopstack start"). */
  purpose?: string;
  /** Called if the embedded database thread dies while serving. */
  onEmbeddedCrash?: (err: Error) => void;
}

/**
 * Connections to one embedded database. It runs one statement at a time whatever the count; a few
 * let the HTTP thread prepare the next query while the database thread runs the current one.
 */
const EMBEDDED_POOL_SIZE = 4;

interface Notifications {
  listen: Database['listen'];
  notify: Database['notify'];
}

const noNotifications: Notifications = {
  listen: async () => async () => {},
  notify: async () => {},
};

/** The message a supervised process sends to its supervisor, which hands it to the store's other processes. */
export interface NotifyMessage {
  type: 'shopstack:notify';
  channel: string;
  payload: string;
}

function isNotifyMessage(message: unknown): message is NotifyMessage {
  const m = message as Partial<NotifyMessage> | null;
  return m?.type === 'shopstack:notify' && typeof m.channel === 'string' && typeof m.payload === 'string';
}

/**
 * Notifications between the worker processes of one embedded store. Their database serves every
 * connection from one session, so LISTEN/NOTIFY cannot reach the other processes; the platform that
 * started them (over the IPC channel) passes each notification to the store's other workers.
 */
function supervisorNotifications(): Notifications {
  return {
    async listen(channel, onMessage) {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name: ${channel}`);
      const handler = (message: unknown) => {
        if (isNotifyMessage(message) && message.channel === channel) onMessage(message.payload);
      };
      process.on('message', handler);
      // Listening must not keep a process alive that has nothing else to do.
      process.channel?.unref();
      return async () => {
        process.off('message', handler);
      };
    },
    async notify(channel, payload) {
      if (process.connected)
        process.send?.({ type: 'shopstack:notify', channel, payload } satisfies NotifyMessage);
    },
  };
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** LISTEN on a dedicated connection that reconnects with backoff; NOTIFY through the pool. */
function postgresNotifications(connectionString: string, pool: pg.Pool): Notifications {
  return {
    async listen(channel, onMessage, onReconnect) {
      if (!CHANNEL.test(channel)) throw new Error(`Invalid channel name: ${channel}`);
      let client: pg.Client | undefined;
      let stopped = false;
      let attempt = 0;
      const retry = () => {
        if (stopped) return;
        const delay = Math.min(10_000, 100 * 2 ** attempt++);
        setTimeout(() => void connect(true).catch(() => {}), delay).unref();
      };
      const connect = async (isReconnect: boolean): Promise<void> => {
        const next = new pg.Client({ connectionString });
        next.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
        });
        next.on('error', () => {
          if (stopped || client !== next) return;
          client = undefined;
          next.end().catch(() => {});
          retry();
        });
        try {
          await next.connect();
          await next.query(`listen ${channel}`);
        } catch (err) {
          next.end().catch(() => {});
          // The first connection fails loudly; a reconnection keeps trying, however long the outage.
          if (!isReconnect) throw err;
          retry();
          return;
        }
        if (stopped) {
          await next.end().catch(() => {});
          return;
        }
        client = next;
        attempt = 0;
        // Messages sent while the connection was down are lost: let the caller assume the worst.
        if (isReconnect) onReconnect?.();
      };
      await connect(false);
      return async () => {
        stopped = true;
        await client?.end().catch(() => {});
      };
    },
    async notify(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
  };
}

function wrap(
  kind: DatabaseKind,
  pool: pg.Pool,
  db: Kysely<unknown>,
  schemaPrefix: string,
  notifications: Notifications,
  close: () => Promise<void>,
): Database {
  let closed = false;
  return {
    kind,
    pool,
    db,
    schemaPrefix,
    ...notifications,
    schemaFor: (service) => `${schemaPrefix}${service}`,
    async ping() {
      const started = performance.now();
      await sql`select 1`.execute(db);
      return performance.now() - started;
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}

function poolDatabase(
  kind: DatabaseKind,
  poolConfig: pg.PoolConfig,
  config: Config,
  close: () => Promise<void>,
): Database {
  const pool = new pg.Pool({ ...poolConfig, application_name: `shopstack-${config.store.id}` });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // The embedded database serves every connection from one session, where names would collide.
  if (kind === 'postgres' && config.database.preparedStatements) pool.on('connect', preparingStatements);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool, onCreateConnection: applySessionSettings }),
  });
  // An embedded database started by this process serves no other process: there is nobody to notify.
  const notifications =
    kind === 'postgres'
      ? postgresNotifications(poolConfig.connectionString!, pool)
      : config.database.socket && process.send
        ? supervisorNotifications()
        : noNotifications;
  return wrap(kind, pool, db, config.database.schemaPrefix, notifications, async () => {
    await db.destroy();
    await close();
  });
}

/**
 * Opens the database a configuration points at: PostgreSQL when database.url is set, else the
 * store's embedded PGlite directory, started on a thread of its own and reached over its socket.
 */
export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (config.database.url && !options.embedded) {
    return poolDatabase(
      'postgres',
      { connectionString: config.database.url, max: config.database.poolSize },
      config,
      async () => {},
    );
  }
  if (config.database.socket && !options.embedded) {
    // Another process (the platform's database process) owns the store's embedded database.
    const connection = { host: config.database.socket, port: 5432, user: 'postgres', database: 'postgres' };
    return poolDatabase('pglite', { ...connection, max: EMBEDDED_POOL_SIZE }, config, async () => {});
  }
  const shared = options.embedded;
  const embedded =
    shared ??
    (await startEmbeddedDatabase({
      dataDir: embeddedDatabaseDir(config),
      purpose: options.purpose,
      onCrash: options.onEmbeddedCrash,
    }));
  return poolDatabase('pglite', { ...embedded.connection, max: EMBEDDED_POOL_SIZE }, config, async () => {
    if (!shared) await embedded.close();
  });
}
