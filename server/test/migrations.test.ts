// Every migration goes down and up again on both dialects, with data in the tables: a release can be rolled
// back, and rolled forward again, without losing the rows the older schema knows.
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../db/connect';
import { migrations, prepareDatabase } from '../db/migrate';
import { dialectCases, type TestDatabase } from '../../test/support/databases';

const cases = await dialectCases();

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`migrations on ${dialect.name}`, () => {
    let database: TestDatabase;
    let conn: Connected;

    beforeAll(async () => {
      database = await dialect.create();
      conn = connect(database.url);
      await prepareDatabase(conn, { seedDemo: true });
    });

    afterAll(async () => {
      await conn?.close();
      await database?.drop();
    });

    const columns = async (table: string): Promise<string[]> => {
      const query =
        dialect.name === 'postgres'
          ? sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = ${table}`
          : sql<{ name: string }>`select name from pragma_table_info(${table})`;
      return (await query.execute(conn.db)).rows.map((r) => r.name).sort();
    };

    it('takes every migration after the first down, one by one, and up again; the messages stay', async () => {
      const migrator = new Migrator({ db: conn.db, provider: migrations(dialect.name) });
      const all = await migrator.getMigrations();
      const latest = await columns('messages');
      const count = await conn.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      for (let i = all.length - 1; i > 0; i -= 1) {
        const { error, results } = await migrator.migrateDown();
        expect(error).toBeUndefined();
        expect(results?.[0]).toMatchObject({ migrationName: all[i]!.name, direction: 'Down', status: 'Success' });
      }
      expect(await columns('messages')).toEqual(['client_id', 'conversation_id', 'created_at', 'id', 'public_id', 'sender_id', 'seq', 'text', 'type']);
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();
      expect(await columns('messages')).toEqual(latest);
      expect(latest).toEqual(expect.arrayContaining(['edited_at', 'deleted', 'rev']));
      expect(await columns('conversations')).toContain('rev');
      const again = await conn.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(again.n)).toBe(Number(count.n));
    });
  });
}
