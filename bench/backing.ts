// What the scale figure runs on besides our server: a fresh PostgreSQL database (127.0.0.1:5432, trust
// auth) and a private redis-server without persistence. Both go away on stop, and if the bench ends early.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { redisSkipReason } from '../test/support/redis';

const PSQL = ['-h', '127.0.0.1', '-p', '5432', '-U', 'root', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAt', '-c'];

/** Synchronous, so that the exit hook below can drop a database too. */
function psql(sql: string): string | null {
  const run = spawnSync('psql', [...PSQL, sql], { encoding: 'utf8', timeout: 10_000 });
  return run.error ? run.error.message : run.status === 0 ? null : run.stderr.trim() || `exit ${run.status}`;
}

/** Why this machine cannot run the scale figure, or null when it can. */
export function backingSkipReason(): string | null {
  const postgres = psql('select 1');
  if (postgres) return `PostgreSQL not reachable at 127.0.0.1:5432: ${postgres}`;
  return redisSkipReason();
}

const databases = new Set<string>();
process.once('exit', () => {
  for (const name of databases) psql(`drop database if exists ${name} with (force)`);
});

export type Database = { url: string; drop: () => void };

export function createDatabase(): Database {
  const name = `inbox_bench_${randomBytes(6).toString('hex')}`;
  const failure = psql(`create database ${name}`);
  if (failure) throw new Error(`create database ${name}: ${failure}`);
  databases.add(name);
  const drop = () => {
    const why = psql(`drop database if exists ${name} with (force)`);
    if (why) throw new Error(`drop database ${name}: ${why}`);
    databases.delete(name);
  };
  return { url: `postgres://root@127.0.0.1:5432/${name}`, drop };
}
