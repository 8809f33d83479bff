import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { Conflict } from '../src/errors.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/embedded/index.js';
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
