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

export async function migrateToLatest(db: Db, dialect: DialectName): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrations(dialect) }).migrateToLatest();
  if (error) throw error;
}

export type Prepared = { sessionSecret: string };

async function prepareOn(db: Db, dialect: DialectName, options: { seedDemo: boolean }): Promise<Prepared> {
  await migrateToLatest(db, dialect);
  if (options.seedDemo && (await countUsers(db)) === 0) await seedDemo(db);
  const sessionSecret = await getOrCreateSetting(db, 'session_secret', () => randomBytes(32).toString('base64url'));
  return { sessionSecret };
}

export async function prepareDatabase({ db, dialect }: Connected, options: { seedDemo: boolean }): Promise<Prepared> {
  if (dialect === 'sqlite') return prepareOn(db, dialect, options);
  // The lock belongs to one connection, so everything under it runs on that connection.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      return await prepareOn(conn, dialect, options);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
