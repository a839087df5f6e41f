// Brings a database up to date at start: migrations, the session secret, and the demo seed. On PostgreSQL
// an advisory lock makes several processes starting together do it once.
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Connected, Db, DialectName } from './connect';
import { initialSchema } from './migrations/2026-11-28T14-00_initial';
import { messageRevisions } from './migrations/2026-12-02T09-00_message-revisions';
import { lastSeen } from './migrations/2026-12-02T12-00_last-seen';
import { changedMessagesIndex } from './migrations/2026-12-08T00-00_changed-messages-index';
import { seedDemo } from './seed';
import { getOrCreateSetting } from './settings';
import { countUsers } from './users';

const MIGRATION_LOCK = 74_211_028; // any constant shared by every process of this app

/** Every migration, oldest first by name; exported for the test that runs each `down` and `up` again. */
export function migrations(dialect: DialectName): MigrationProvider {
  const all: Record<string, Migration> = {
    '2026-11-28T14-00_initial': initialSchema(dialect),
    '2026-12-02T09-00_message-revisions': messageRevisions(),
    '2026-12-02T12-00_last-seen': lastSeen(),
    '2026-12-08T00-00_changed-messages-index': changedMessagesIndex(),
  };
  return { getMigrations: async () => all };
}

/** Runs inside prepareDatabase's transaction, so the migrator opens none of its own. */
async function migrateToLatest(db: Db, dialect: DialectName): Promise<void> {
  const migrator = new Migrator({ db, provider: migrations(dialect), disableTransactions: true });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

export type Prepared = { sessionSecret: string; /** The demo accounts were seeded by this start. */ seeded: boolean };

async function prepareOn(db: Db, dialect: DialectName, options: { seedDemo: boolean }): Promise<Prepared> {
  await migrateToLatest(db, dialect);
  const seeded = options.seedDemo && (await countUsers(db)) === 0;
  if (seeded) await seedDemo(db);
  const sessionSecret = await getOrCreateSetting(db, 'session_secret', () => randomBytes(32).toString('base64url'));
  return { sessionSecret, seeded };
}

/**
 * Several processes may start together on one database; each waits for the lock, and the first one to
 * hold it migrates and seeds, all or nothing in one transaction. The lock belongs to one connection, so
 * everything runs on that one. PostgreSQL: an advisory lock. SQLite: BEGIN IMMEDIATE takes the file's
 * write lock (the others wait up to busy_timeout).
 */
export async function prepareDatabase({ db, dialect }: Connected, options: { seedDemo: boolean }): Promise<Prepared> {
  return db.connection().execute(async (conn) => {
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql.raw(dialect === 'postgres' ? 'begin' : 'begin immediate').execute(conn);
      try {
        const prepared = await prepareOn(conn, dialect, options);
        await sql`commit`.execute(conn);
        return prepared;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
