import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { Conflict } from '../src/errors.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/embedded/index.js';
import { serveWireProtocol } from '../src/embedded/wire-server.js';
import { connect } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { embeddedFromTemplate, uniqueName } from './support/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('embedded database served over the wire protocol', () => {
  let embedded: EmbeddedDatabase;
  let pool: pg.Pool;
  before(async () => {
    embedded = await embeddedFromTemplate();
    pool = new pg.Pool({ ...embedded.connection, max: 20 });
    await pool.query('create table if not exists wire_rows (id int primary key, note text not null)');
  });
  after(async () => {
    await pool.end();
    await embedded.close();
  });

  test('a transaction on one connection is invisible to, and not joined by, the others until it commits', async () => {
    const table = uniqueName('tx');
    await pool.query(`create table ${table} (id int primary key)`);
    const writer = await pool.connect();
    try {
      await writer.query('begin');
      await writer.query(`insert into ${table} values (1)`);
      // Another connection's statement waits for the transaction instead of running inside it.
      let readerDone = false;
      const reader = pool.query<{ n: number }>(`select count(*)::int as n from ${table}`).then((r) => {
        readerDone = true;
        return r.rows[0]!.n;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(readerDone, false, 'the other connection waits while the transaction is open');
      await writer.query(`insert into ${table} values (2)`);
      await writer.query('rollback');
      assert.equal(await reader, 0, 'the rolled-back rows were never seen, nor committed by the reader');
    } finally {
      writer.release();
    }
  });

  test('parameterised queries from many connections at once each get their own answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        pool.query<{ echo: string; twice: number }>('select $1::text as echo, $2::int * 2 as twice', [
          `q${i}`,
          i,
        ]),
      ),
    );
    results.forEach((r, i) => assert.deepEqual(r.rows, [{ echo: `q${i}`, twice: i * 2 }]));
  });

  test('concurrent transactions on several connections commit or roll back each on its own', async () => {
    const table = uniqueName('many');
    await pool.query(`create table ${table} (id int primary key)`);
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query(`insert into ${table} values ($1)`, [i]);
          await client.query(i % 3 === 0 ? 'rollback' : 'commit');
        } finally {
          client.release();
        }
      }),
    );
    const { rows } = await pool.query<{ id: number }>(`select id from ${table} order by id`);
    assert.deepEqual(
      rows.map((r) => r.id),
      Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 0),
    );
  });

  test('an error in one statement fails that statement only; the connection and the others go on', async () => {
    await assert.rejects(pool.query('select * from no_such_table where id = $1', [1]), /no_such_table/);
    const { rows } = await pool.query<{ ok: number }>('select $1::int as ok', [7]);
    assert.deepEqual(rows, [{ ok: 7 }]);
  });

  test('a connection that drops inside a transaction is rolled back and frees the database', async () => {
    const table = uniqueName('dropped');
    await pool.query(`create table ${table} (id int primary key)`);
    const client = new pg.Client(embedded.connection);
    client.on('error', () => {});
    await client.connect();
    await client.query('begin');
    await client.query(`insert into ${table} values (1)`);
    // Kill the socket without a Terminate message, as a crashed process would.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    assert.equal(rows[0]!.n, 0);
  });

  test('a long statement runs off the calling thread: its event loop keeps turning', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    await pool.query('select count(*) from generate_series(1, 3000000) g where md5(g::text) like $1', ['0%']);
    const took = performance.now() - started;
    delay.disable();
    assert.ok(took > 300, `the statement was long enough to tell (${took.toFixed(0)} ms)`);
    // On the calling thread the whole statement would block the loop; here only scheduling noise remains.
    assert.ok(
      delay.max / 1e6 < took / 2,
      `event loop blocked ${(delay.max / 1e6).toFixed(0)} ms during a ${took.toFixed(0)} ms statement`,
    );
  });
});

describe('embedded data directory', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'shopstack-embedded-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('one process at a time opens a data directory, and what it wrote is there when it is reopened', async () => {
    const dataDir = path.join(root, 'store');
    const first = await startEmbeddedDatabase({ dataDir, purpose: 'test writer' });
    try {
      await assert.rejects(startEmbeddedDatabase({ dataDir }), (err: unknown) => {
        assert.ok(err instanceof Conflict);
        assert.match(err.message, /already open in this process/);
        return true;
      });
      const client = new pg.Client(first.connection);
      await client.connect();
      await client.query('create table kept (note text)');
      await client.query(`insert into kept values ('still here')`);
      await client.end();
    } finally {
      await first.close();
    }
    const again = await startEmbeddedDatabase({ dataDir });
    try {
      const client = new pg.Client(again.connection);
      await client.connect();
      const { rows } = await client.query<{ note: string }>('select note from kept');
      await client.end();
      assert.deepEqual(rows, [{ note: 'still here' }]);
    } finally {
      await again.close();
    }
  });
});

/** Raw protocol bytes: a startup packet for user postgres, database postgres. */
function startupPacket(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

function typedMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

/** Sends bytes on a fresh connection and resolves when the server closes it (or after `waitMs`). */
function sendRaw(path: string, bytes: Buffer, waitMs = 2_000): Promise<{ closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closedByServer: false });
    }, waitMs);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedByServer: true });
    });
    socket.on('data', () => {});
    socket.write(bytes);
  });
}

describe('wire protocol server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shopstack-wire-'));
  const socketPath = path.join(dir, '.s.PGSQL.5432');
  let db: PGlite;
  let server: Awaited<ReturnType<typeof serveWireProtocol>>;
  let pool: pg.Pool;
  before(async () => {
    db = await PGlite.create();
    server = await serveWireProtocol(db, { path: socketPath, idleInTransactionMs: 300 });
    pool = new pg.Pool({ host: dir, port: 5432, user: 'postgres', database: 'postgres', max: 4 });
    await pool.query('create table raw_rows (id int primary key)');
  });
  after(async () => {
    await pool.end();
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a message with an impossible length closes that connection and nothing else', async () => {
    const badLength = Buffer.concat([startupPacket(), Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff])]);
    assert.deepEqual(await sendRaw(socketPath, badLength), { closedByServer: true });
    const shortStartup = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0]);
    assert.deepEqual(await sendRaw(socketPath, shortStartup), { closedByServer: true });
    const { rows } = await pool.query<{ ok: number }>('select 1 as ok');
    assert.deepEqual(rows, [{ ok: 1 }]);
  });

  test('a statement sent together with Terminate still runs before the connection ends', async () => {
    const insert = typedMessage('Q', Buffer.from('insert into raw_rows values (42)\0'));
    const terminate = typedMessage('X', Buffer.alloc(0));
    assert.deepEqual(await sendRaw(socketPath, Buffer.concat([startupPacket(), insert, terminate])), {
      closedByServer: true,
    });
    const { rows } = await pool.query<{ id: number }>('select id from raw_rows where id = 42');
    assert.deepEqual(rows, [{ id: 42 }]);
  });

  test('a connection idle inside a transaction past the limit is closed and rolled back, and the others go on', async () => {
    const idle = new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
    idle.on('error', () => {});
    await idle.connect();
    await idle.query('begin');
    await idle.query('insert into raw_rows values (7)');
    const started = performance.now();
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from raw_rows where id = 7');
    const waited = performance.now() - started;
    assert.deepEqual(rows, [{ n: 0 }], 'the idle transaction was rolled back');
    assert.ok(waited >= 200, `the others waited for the limit (${waited.toFixed(0)} ms)`);
    await assert.rejects(idle.query('commit'));
  });
});
