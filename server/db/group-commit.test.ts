import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation, type Db } from './connect';
import { GroupCommit } from './group-commit';
import { openSqlite } from './sqlite';

describe('group commit (SQLite)', () => {
  let dir: string;
  let db: Db;
  let group: GroupCommit;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    db = openSqlite(join(dir, 'x.db'));
    group = new GroupCommit(db);
    await sql`create table t (x integer unique not null)`.execute(db);
  });

  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (x: number) => (trx: Db) => sql`insert into t (x) values (${x})`.execute(trx).then(() => x);
  const rows = async () => (await sql<{ x: number }>`select x from t order by x`.execute(db)).rows.map((r) => r.x);

  it('runs work submitted together in one transaction', async () => {
    const seen: Db[] = [];
    const spy = (x: number) => (trx: Db) => {
      seen.push(trx);
      return insert(x)(trx);
    };
    expect(await Promise.all([1, 2, 3].map((x) => group.run(spy(x))))).toEqual([1, 2, 3]);
    expect(new Set(seen).size).toBe(1);
    expect(await rows()).toEqual([1, 2, 3]);
  });

  it('a failing unit fails alone; the others are stored', async () => {
    const results = await Promise.allSettled([1, 1, 2].map((x) => group.run(insert(x))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((results[1] as PromiseRejectedResult).reason)).toBe(true);
    expect(await rows()).toEqual([1, 2]);
  });
});
