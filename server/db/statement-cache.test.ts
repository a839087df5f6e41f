import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparingOnce } from './statement-cache';

describe('statements prepared once (SQLite)', () => {
  let database: SQLite.Database;
  let prepared: string[];

  beforeEach(() => {
    database = new SQLite(':memory:');
    prepared = [];
    const prepare = database.prepare.bind(database);
    database.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof database.prepare;
  });

  afterEach(() => database.close());

  it('prepares each SQL text once and runs it again with other parameters', () => {
    const cached = preparingOnce(database);
    cached.prepare('create table t (x integer)').run([]);
    for (const x of [1, 2, 3]) cached.prepare('insert into t (x) values (?)').run([x]);
    expect(cached.prepare('select x from t order by x').all([])).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(prepared.filter((sql) => sql.startsWith('insert'))).toHaveLength(1);
  });

  it('keeps working when the schema changes under a kept statement', () => {
    const cached = preparingOnce(database);
    cached.prepare('create table t (x integer)').run([]);
    cached.prepare('insert into t (x) values (?)').run([1]);
    database.exec('drop table t; create table t (y integer, x integer)');
    cached.prepare('insert into t (x) values (?)').run([2]);
    expect(cached.prepare('select x from t').all([])).toEqual([{ x: 2 }]);
  });

  it('keeps at most 500 texts, dropping the oldest first', () => {
    const cached = preparingOnce(database);
    for (let i = 0; i <= 500; i += 1) cached.prepare(`select ${i} as n`);
    cached.prepare('select 500 as n');
    expect(prepared.filter((sql) => sql === 'select 500 as n')).toHaveLength(1);
    cached.prepare('select 0 as n');
    expect(prepared.filter((sql) => sql === 'select 0 as n')).toHaveLength(2);
  });
});
