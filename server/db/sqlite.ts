// One SQLite file as this app opens it, on the event loop's connection and in the writer thread alike.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database';
import { preparingOnce } from './statement-cache';

/** `prepareOnce: false` only for bench/hot-path.ts, which measures what the statement cache saves. */
export function openSqlite(path: string, { prepareOnce = true } = {}): Kysely<Database> {
  mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  // Two connections write (this process's and its writer thread's): a write waits for the other's commit.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // Every acked message must survive a power cut, not only a process crash.
  database.pragma('synchronous = FULL');
  // A checkpoint copies the WAL's pages into the file and fsyncs both: every 10,000 pages (40 MB) rather than
  // SQLite's 1,000, a page changed by many commits in between is copied once (a fifth of the bytes a send wrote).
  database.pragma('wal_autocheckpoint = 10000');
  // Each SQL text is prepared once (better-sqlite3 would parse and plan it on every query).
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: prepareOnce ? preparingOnce(database) : database }) });
}
