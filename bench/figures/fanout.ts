// Figure 2, fan-out on the server: the same load generator against our server (auth, validation, every
// message stored durably in SQLite) and against the bare relay, closed loop to saturation, then open loop
// at half of our saturation rate.
import Database from 'better-sqlite3';
import { addConversation, addUser, mapLimit, signIn, type Inbox, type Served } from '../inbox';
import { runLoad } from '../load/run-load';
import type { LoadPair, LoadResult, LoadSpec } from '../load/spec';
import { withCpuOf } from '../process-cpu';
import { withServerSide, type ServerSide } from '../server-metrics';
import type { Sizes } from '../sizes';

export type FanoutResult = {
  pairs: number;
  /** The pairs it seeded, signed in: the parity figures load the same server with them. */
  seeded: LoadPair[];
  closed: { ours: LoadResult; relay: LoadResult };
  openRate: number;
  open: { ours: LoadResult; relay: LoadResult };
  /** Our server's own histograms (GET /api/metrics) over each of its runs, warm-up and drain included. */
  server: { closed: ServerSide; open: ServerSide };
  /**
   * CPU µs the server process (all its threads) used per message delivered in the closed loop, the whole run
   * (connects, warm-up and drain) over its deliveries; null without /proc.
   */
  cpuPerMessageUs: { ours: number | null; relay: number | null };
  /** Messages in our database after the runs, and the acks our server gave. */
  stored: number;
  acked: number;
};

/** The client and the worker of the i-th pair. */
export const pairPeople = (i: number) => ({ client: `client${i}@bench.test`, worker: `worker${i}@bench.test` });

/** `pairs` clients and workers, one conversation each, signed in (scrypt: a few at a time). */
export async function seedPairs(inbox: Inbox, pairs: number): Promise<LoadPair[]> {
  const indexes = Array.from({ length: pairs }, (_, i) => i);
  return mapLimit(indexes, 4, async (i) => {
    const client = await addUser(inbox, pairPeople(i).client, `Client ${i}`);
    const worker = await addUser(inbox, pairPeople(i).worker, `Worker ${i}`);
    const conversationId = await addConversation(inbox, client, worker, `Job ${i}`);
    const [senderCookie, receiverCookie] = [await signIn(inbox, client), await signIn(inbox, worker)];
    return { conversationId, senderCookie, receiverCookie };
  });
}

function countMessages(databaseFile: string): number {
  const db = new Database(databaseFile, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** `ours` must be fresh (its database holds only this figure's messages). */
export async function fanout(ours: Inbox, relay: Served, sizes: Sizes['fanout']): Promise<FanoutResult> {
  const pairs = await seedPairs(ours, sizes.pairs);
  const relayPairs = pairs.map((_, i) => ({ conversationId: i + 1 }));
  const base = { warmupMs: sizes.warmupMs, durationMs: sizes.durationMs, drainMs: 5_000 };
  const load = (url: string, p: LoadPair[], mode: LoadSpec['mode']) => runLoad({ ...base, url, pairs: p, mode });

  const closedMode = { kind: 'closed', inFlight: sizes.inFlight } as const;
  const closedOurs = await withCpuOf(ours.pid, () => withServerSide(ours, () => load(ours.url, pairs, closedMode)));
  const closedRelay = await withCpuOf(relay.pid, () => load(relay.url, relayPairs, closedMode));
  const closed = { ours: closedOurs.result.result, relay: closedRelay.result };
  const perMessage = (cpu: number | null, result: LoadResult) => (cpu === null ? null : (cpu * 1e6) / Math.max(1, result.delivered));
  const cpuPerMessageUs = { ours: perMessage(closedOurs.cpuSeconds, closed.ours), relay: perMessage(closedRelay.cpuSeconds, closed.relay) };
  const openRate = Math.max(1, closed.ours.deliveredPerSecond / 2);
  const openMode = { kind: 'open', ratePerSecond: openRate } as const;
  const openOurs = await withServerSide(ours, () => load(ours.url, pairs, openMode));
  const open = { ours: openOurs.result, relay: await load(relay.url, relayPairs, openMode) };

  // Committed rows only (another connection): what an ack promised is on disk.
  const stored = countMessages(ours.databaseFile);
  const server = { closed: closedOurs.result.server, open: openOurs.server };
  const acked = closed.ours.acked + open.ours.acked;
  return { pairs: sizes.pairs, seeded: pairs, closed, openRate, open, server, cpuPerMessageUs, stored, acked };
}
