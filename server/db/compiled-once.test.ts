import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled-once';
import type { Db } from './connect';
import { openSqlite } from './sqlite';

describe('compiledOnce', () => {
  let dir: string;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'compiled-once-'));
    db = openSqlite(join(dir, 'x.db'));
    await sql`create table settings2 (key text primary key, value text)`.execute(db);
  });

  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  // A table of the schema's shape is not needed for the mechanism: a loosely typed handle on this one.
  const loose = () => db as unknown as Kysely<{ settings2: { key: string; value: string | null } }>;

  it('builds once and runs each time with the values where the marks were', async () => {
    let builds = 0;
    const put = compiledOnce((_db: Db, v: { key: string; value: string | null }) => {
      builds += 1;
      return loose().insertInto('settings2').values({ key: v.key, value: v.value }).returning(['key', 'value']);
    });
    const first = await put(db, { key: 'a', value: 'one' });
    const second = await put(db, { key: 'b', value: null });
    expect(builds).toBe(1);
    expect([...first.rows, ...second.rows]).toEqual([
      { key: 'a', value: 'one' },
      { key: 'b', value: null },
    ]);
    const stored = await loose().selectFrom('settings2').selectAll().orderBy('key').execute();
    expect(stored).toEqual([
      { key: 'a', value: 'one' },
      { key: 'b', value: null },
    ]);
  });

  it('refuses a query that leaves a value out (a value baked into the SQL would be run again and again)', async () => {
    const broken = compiledOnce((_db: Db, v: { key: string; value: string }) => loose().insertInto('settings2').values({ key: v.key, value: 'fixed' }));
    await expect(broken(db, { key: 'a', value: 'x' })).rejects.toThrow(/does not use value/);
  });
});
