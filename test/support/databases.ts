// The databases a suite runs on: a fresh SQLite file always, and a fresh PostgreSQL database when a server
// answers at 127.0.0.1:5432 (TEST_POSTGRES_URL overrides where), dropped again afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tempSqlite } from './test-server';
import { settled } from './until';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

export type TestDatabase = { url: string; drop: () => Promise<void> };
export type DialectCase = { name: 'sqlite' | 'postgres'; skipReason: string | null; create: () => Promise<TestDatabase> };

async function adminQuery<Row extends object = object>(text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

async function postgresSkipReason(): Promise<string | null> {
  try {
    await adminQuery('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}: ${(error as Error).message}`;
  }
}

/**
 * A pg pool's `end()` resolves before its connections have finished closing. Dropping the database under
 * them would terminate them (57P01), an error each of their clients still reports: so the drop waits until
 * they are gone (bounded), and only then forces out whatever is left (a server a test killed, say).
 */
async function dropPostgres(name: string): Promise<void> {
  const connected = async () =>
    (await adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = '${name}'`))[0]?.n ?? 0;
  await settled(async () => (await connected()) === 0, 5_000);
  await adminQuery(`drop database if exists ${name} with (force)`);
}

async function createPostgres(): Promise<TestDatabase> {
  const name = `inbox_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropPostgres(name) };
}

async function createSqlite(): Promise<TestDatabase> {
  const sqlite = tempSqlite();
  return { url: sqlite.url, drop: async () => sqlite.remove() };
}

/** Call once per test file (top-level await); prints why PostgreSQL is skipped. */
export async function dialectCases(): Promise<DialectCase[]> {
  const skipReason = await postgresSkipReason();
  if (skipReason) console.log(`Skipping the PostgreSQL runs: ${skipReason}`);
  return [
    { name: 'sqlite', skipReason: null, create: createSqlite },
    { name: 'postgres', skipReason, create: createPostgres },
  ];
}
