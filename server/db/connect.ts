// Opens the database named by DATABASE_URL: `file:<path>` → SQLite through better-sqlite3 (WAL),
// `postgres://…` / `postgresql://…` → PostgreSQL through a pg pool.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { log as defaultLog, type Logger } from '../log';
import type { Database } from './database';
import { GroupCommit, timeCommit } from './group-commit';
import { preparingOnce } from './statement-cache';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

/** Runs `work` in a transaction and resolves once it has committed. */
export type Transact = <T>(work: (trx: Db) => Promise<T>) => Promise<T>;

export type Connected = {
  db: Db;
  dialect: DialectName;
  /** A transaction for a send: on SQLite shared with the sends that arrive with it (one fsync for all). */
  transact: Transact;
};

export function dialectOf(databaseUrl: string): DialectName {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(`DATABASE_URL must start with file: or postgres://, got "${databaseUrl}"`);
}

/** Told of every transaction `transact` runs: how long it took to commit, and how many units it held. */
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
    // PostgreSQL groups concurrent commits itself: one unit per transaction here.
    return { dialect, db, transact: (work) => timeCommit(onCommit, 1, () => db.transaction().execute(work)) };
  }
  const path = resolve(databaseUrl.slice('file:'.length));
  mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Every acked message must survive a power cut, not only a process crash.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  // Each SQL text is prepared once (better-sqlite3 would parse and plan it on every query).
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: preparingOnce(database) }) });
  const group = new GroupCommit(db, onCommit);
  return { dialect, db, transact: (work) => group.run(work) };
}

/** True when a write failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
