// Which dialect a Kysely handle speaks, in a module of its own: the SQLite writer thread loads the queries
// that ask, and should not load the PostgreSQL driver and the rest of connect.ts with them.
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from './database';

/** True on a PostgreSQL connection (row locks are taken there; SQLite has one writer). */
export function onPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
