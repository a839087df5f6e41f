// Figure 3, scale-out: the same closed-loop load against one server process on PostgreSQL and against two
// processes on one PostgreSQL database sharing one Redis, each pair's sender on process 1 and its receiver
// on process 2, so every delivery crosses Redis. Each variant gets a fresh database (and Redis).
import { startRedis } from '../../test/support/redis';
import { createDatabase } from '../backing';
import { startInbox, type Inbox } from '../inbox';
import { runLoad } from '../load/run-load';
import type { LoadPair, LoadResult } from '../load/spec';
import type { Sizes } from '../sizes';
import { seedPairs } from './fanout';

export type ScaleResult = { pairs: number; one: LoadResult; two: LoadResult };

type Deployment = { senderUrl: string; receiverUrl: string; pairs: LoadPair[]; stop: () => Promise<void> };

/** A fresh database, Redis when there are two processes, the processes (started together, as a deployment
 * starts them) and the pairs seeded through the first; on error, stops what it started. */
async function deploy(processes: 1 | 2, pairs: number): Promise<Deployment> {
  const cleanups: (() => unknown)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const database = createDatabase();
    cleanups.push(database.drop);
    const redis = processes === 2 ? await startRedis() : null;
    if (redis) cleanups.push(redis.stop);
    const options = { web: false, databaseUrl: database.url, redisUrl: redis?.url };
    const started = await Promise.allSettled(Array.from({ length: processes }, () => startInbox(options)));
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const server of servers) cleanups.push(server.dispose);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    if (redis) await Promise.all(servers.map(waitForRedis));
    const [first, last] = [servers[0]!, servers[servers.length - 1]!];
    return { senderUrl: first.url, receiverUrl: last.url, pairs: await seedPairs(first, pairs), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until GET /api/health says the Redis adapter is connected (deliveries across processes need it). */
async function waitForRedis(server: Inbox): Promise<void> {
  const giveUp = Date.now() + 20_000;
  for (;;) {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { redis: boolean };
    if (health.redis) return;
    if (Date.now() > giveUp) throw new Error(`${server.url} not connected to Redis within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Both variants are set up at once (start-up is most of the quick run), then loaded one after the other. */
export async function scale(sizes: Sizes['scale']): Promise<ScaleResult> {
  const settled = await Promise.allSettled([deploy(1, sizes.pairs), deploy(2, sizes.pairs)]);
  const deployments = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const load = (d: Deployment) =>
      runLoad({
        url: d.senderUrl,
        receiverUrl: d.receiverUrl,
        pairs: d.pairs,
        mode: { kind: 'closed', inFlight: sizes.inFlight },
        warmupMs: sizes.warmupMs,
        durationMs: sizes.durationMs,
        drainMs: 5_000,
      });
    const [one, two] = deployments as [Deployment, Deployment];
    return { pairs: sizes.pairs, one: await load(one), two: await load(two) };
  } finally {
    for (const d of deployments) await d.stop();
  }
}
