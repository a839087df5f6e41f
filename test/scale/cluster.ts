// Several real server processes (server/index.ts, INBOX_WEB=0) on one fresh PostgreSQL database and one
// private redis-server, started together as a deployment would start them.
import pg from 'pg';
import { dialectCases, type TestDatabase } from '../support/databases';
import { waitForHealth } from '../support/health';
import { redisSkipReason, startRedis, type RedisServer } from '../support/redis';
import { startServerProcess, type ServerProcess } from '../support/server-process';

export type Cluster = {
  redis: RedisServer;
  servers: ServerProcess[];
  /** One query on the shared database. */
  query: <Row>(text: string) => Promise<Row[]>;
  /** Kills every process, drops the database. */
  stop: () => Promise<void>;
};

const postgres = (await dialectCases()).find((c) => c.name === 'postgres')!;

/** Why this machine cannot run the scale tests (printed), or null. */
export function scaleSkipReason(): string | null {
  const reason = postgres.skipReason ?? redisSkipReason();
  if (reason) console.log(`Skipping the scale tests: ${reason}`);
  return reason;
}

/** `env`: more environment for every process (e.g. a short PRESENCE_HEARTBEAT_MS). */
export async function startCluster(size: number, env: Record<string, string> = {}): Promise<Cluster> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const database: TestDatabase = await postgres.create();
    cleanups.push(database.drop);
    const redis = await startRedis();
    cleanups.push(redis.stop);
    const backing = { ...env, DATABASE_URL: database.url, REDIS_URL: redis.url };
    const servers: ServerProcess[] = [];
    cleanups.push(() => Promise.all(servers.map((s) => s.dispose())));
    // Started together: migration and seed race unless the server serialises them.
    const started = await Promise.allSettled(Array.from({ length: size }, () => startServerProcess({ env: backing })));
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(servers.map((s) => waitForHealth(s.url, (h) => h.redis)));
    const query = async <Row>(text: string) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query(text)).rows as Row[];
      } finally {
        await client.end();
      }
    };
    return { redis, servers, query, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
