// Opens the database named by DATABASE_URL: `file:<path>` → SQLite through better-sqlite3 (WAL),
// `postgres://…` / `postgresql://…` → PostgreSQL through a pg pool.
import { resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { log as defaultLog, type Logger } from '../log';
import type { Database } from './database';
import { timeCommit } from './group-commit';
import { openSqlite } from './sqlite';
import { SqliteWriter } from './writer';
import { writeIn, type Write } from './writes';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export type Connected = {
  /** Reads, and the writes that are not a message's (sign-in, admin, migrations). */
  db: Db;
  dialect: DialectName;
  /** A message's write (writes.ts), resolved once committed: on SQLite in the writer thread, in group commit. */
  write: Write;
  /**
   * Writes commit in the order `write` was called (SQLite: one writer thread, first in first out), so a
   * caller may go on to its next write before the previous one has committed. Not on PostgreSQL, where
   * transactions run side by side on the pool's connections.
   */
  writesInCallOrder: boolean;
  /** Closes the database (on SQLite after the writer thread's last commit). */
  close: () => Promise<void>;
};

export function dialectOf(databaseUrl: string): DialectName {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(`DATABASE_URL must start with file: or postgres://, got "${databaseUrl}"`);
}

/** Told of every transaction `write` runs: how long it took to commit, and how many units it held. */
export type OnCommit = (seconds: number, units: number) => void;

export function connect(databaseUrl: string, log: Logger = defaultLog, onCommit: OnCommit = () => {}): Connected {
  const dialect = dialectOf(databaseUrl);
  if (dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle connection that fails (PostgreSQL restarted, the backend terminated) is reported here; with no
    // listener it would be an uncaught exception that ends the process. The pool has already dropped it
    // and opens a new one for the next query.
    pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    // PostgreSQL groups concurrent commits itself, off this thread: one unit per transaction here.
    const write: Write = (name, args) => timeCommit(onCommit, 1, () => db.transaction().execute((trx) => writeIn(trx, name, args)));
    return { dialect, db, write, writesInCallOrder: false, close: () => db.destroy() };
  }
  const path = resolve(databaseUrl.slice('file:'.length));
  const db = openSqlite(path);
  const writer = new SqliteWriter(path, onCommit, log);
  const close = async () => {
    await writer.close();
    await db.destroy();
  };
  return { dialect, db, write: (name, args) => writer.run(name, args), writesInCallOrder: true, close };
}

/** True when a write failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
