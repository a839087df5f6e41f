// better-sqlite3 parses and plans a statement every time Kysely runs a query (its driver prepares each one).
// The queries of this app are a few dozen SQL texts, so each is prepared once and kept: the same text runs
// the same prepared statement. Safe because the driver runs a statement to its end synchronously (`all` or
// `run`); nothing here streams (`iterate` would hold a statement while another query could want it).
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Bounds the cache: `in (…)` lists of different lengths are different texts. */
const MAX_STATEMENTS = 500;

export function preparingOnce(database: SQLite.Database): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = prepared.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        // The oldest goes first; a query still in use is prepared again when it comes back.
        if (prepared.size >= MAX_STATEMENTS) prepared.delete(prepared.keys().next().value!);
        prepared.set(sql, statement);
      }
      return statement;
    },
  };
}
