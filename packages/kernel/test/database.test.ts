import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachBackend } from './support/index.js';

describeEachBackend('database connections', (backend) => {
  test('a statement with parameters is prepared once per connection on PostgreSQL and gives the same answers', async () => {
    const database = await backend.database(backend.config());
    const text = 'select $1::integer + $2::integer as "sum"';
    await database.db.connection().execute(async (connection) => {
      const sums: number[] = [];
      for (const [a, b] of [
        [1, 2],
        [40, 2],
        [-5, 5],
      ]) {
        const { rows } = await sql<{ sum: number }>`select ${a}::integer + ${b}::integer as "sum"`.execute(
          connection,
        );
        sums.push(rows[0]!.sum);
      }
      assert.deepEqual(sums, [3, 42, 0]);
      const { rows } = await sql<{ statement: string }>`
        select statement from pg_prepared_statements where statement = ${text}`.execute(connection);
      // PGlite serves every connection from one session, so nothing is prepared by name there.
      assert.equal(rows.length, backend.kind === 'postgres' ? 1 : 0);
      const { rows: plain } = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_prepared_statements where statement like 'select count(*)%'`.execute(
        connection,
      );
      assert.equal(plain[0]!.n, 0, 'a statement without parameters is not prepared');
    });
  });
});
