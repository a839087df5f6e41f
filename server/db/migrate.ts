// Brings a database up to date at start: migrations, the session secret, and the demo seed. On PostgreSQL
// an advisory lock makes several processes starting together do it once.
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Connected, Db, DialectName } from './connect';
import { initialSchema } from './migrations/2026-11-28T14-00_initial';
import { seedDemo } from './seed';
import { getOrCreateSetting } from './settings';
import { countUsers } from './users';

const MIGRATION_LOCK = 74_211_028; // any constant shared by every process of this app

function migrations(dialect: DialectName): MigrationProvider {
  const all: Record<string, Migration> = { '2026-11-28T14-00_initial': initialSchema(dialect) };
  return { getMigrations: async () => all };
}

/** `inTransaction`: the caller holds a transaction already, so the migrator must not open its own. */
async function migrateToLatest(db: Db, dialect: DialectName, inTransaction: boolean): Promise<void> {
  const migrator = new Migrator({ db, provider: migrations(dialect), disableTransactions: inTransaction });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

export type Prepared = { sessionSecret: string };

async function prepareOn(db: Db, dialect: DialectName, options: { seedDemo: boolean }, inTransaction: boolean): Promise<Prepared> {
  await migrateToLatest(db, dialect, inTransaction);
  if (options.seedDemo && (await countUsers(db)) === 0) await seedDemo(db);
  const sessionSecret = await getOrCreateSetting(db, 'session_secret', () => randomBytes(32).toString('base64url'));
  return { sessionSecret };
}

/**
 * Several processes may start together on one database; each waits for the lock, and the first one to
 * hold it migrates and seeds. The lock belongs to one connection, so everything under it runs on that one.
 * PostgreSQL: an advisory lock. SQLite: one IMMEDIATE transaction, which takes the file's write lock
 * (others wait up to busy_timeout) and also makes the seed all or nothing.
 */
export async function prepareDatabase({ db, dialect }: Connected, options: { seedDemo: boolean }): Promise<Prepared> {
  return db.connection().execute(async (conn) => {
    if (dialect === 'postgres') {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        return await prepareOn(conn, dialect, options, false);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    }
    await sql`begin immediate`.execute(conn);
    try {
      const prepared = await prepareOn(conn, dialect, options, true);
      await sql`commit`.execute(conn);
      return prepared;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}
