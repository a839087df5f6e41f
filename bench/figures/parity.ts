// Figure 4, what messenger parity costs the messages. The fan-out's pairs send at a fixed rate (open loop)
// while (a) both people of every pair type, from a second tab each (typists.ts), or (b) presence churns:
// sockets of other people, each a counterpart of one pair's worker, connect and leave (churn.ts). The side
// loads run in processes of their own, in on phases of 1 s by the wall clock, and the generator files the
// delivery latencies under the phase their message was sent in: the off phases are the baseline, measured
// in the same run and interleaved with the on phases, so that a shared machine's drift falls on both alike.
// The pairs' own sockets receive the typing relays too, as each person's first tab would.
import { addConversation, addUser, mapLimit, signIn, type Inbox } from '../inbox';
import { runLoad, startSideLoad, type SideLoad } from '../load/run-load';
import type { ChurnResult, ChurnSpec, LoadPair, LoadResult, Percentiles, TypistsResult, TypistsSpec } from '../load/spec';
import type { Sizes } from '../sizes';
import { percentile } from '../stats';
import { pairPeople } from './fanout';

export type Pooled = Percentiles & { samples: number };
export type Phased = { on: Pooled; off: Pooled };

export type ParityResult = {
  pairs: number;
  ratePerSecond: number;
  typingEveryMs: number;
  typing: Phased;
  typists: TypistsResult;
  /** Socket lifecycles (connect, leave) a second in the on phases; what the churn process managed. */
  churnPerSecond: number;
  churn: Phased;
  churned: ChurnResult;
};

const PHASE_MS = 1_000;

/** `churnUsers` people, each in a conversation with the worker of one pair, signed in. */
async function seedChurners(inbox: Inbox, churnUsers: number, pairs: number): Promise<string[]> {
  const indexes = Array.from({ length: churnUsers }, (_, i) => i);
  return mapLimit(indexes, 4, async (i) => {
    const email = await addUser(inbox, `churn${i}@bench.test`, `Churner ${i}`);
    await addConversation(inbox, email, pairPeople(i % pairs).worker, `Churn job ${i}`);
    return signIn(inbox, email);
  });
}

function pool(results: LoadResult[]): Phased {
  const of = (phase: 'on' | 'off'): Pooled => {
    const all = results.flatMap((r) => r.phased?.[phase] ?? []);
    return { p50: percentile(all, 50), p99: percentile(all, 99), samples: all.length };
  };
  return { on: of('on'), off: of('off') };
}

/** Runs the load beside a side load that has started, then stops it; it is stopped on a failure too. */
async function withSide<Result>(side: SideLoad<Result>, load: () => Promise<LoadResult>): Promise<[LoadResult, Result]> {
  const result = await load().catch(async (error: unknown) => {
    await side.stop().catch(() => {});
    throw error;
  });
  return [result, await side.stop()];
}

/** `ours` serves `pairs` (the fan-out's, signed in); `ratePerSecond`: the offered message rate. */
export async function parity(ours: Inbox, pairs: LoadPair[], sizes: Sizes['parity'], ratePerSecond: number): Promise<ParityResult> {
  const cookies = await seedChurners(ours, sizes.churnUsers, pairs.length);
  // churnSockets lifecycles in the on half of the measured window.
  const churnPerSecond = sizes.churnSockets / (sizes.durationMs / 2 / 1000);
  const load = () =>
    runLoad({
      url: ours.url,
      pairs,
      mode: { kind: 'open', ratePerSecond },
      warmupMs: sizes.warmupMs,
      durationMs: sizes.durationMs,
      drainMs: 5_000,
      phaseMs: PHASE_MS,
    });
  const typistsSpec: TypistsSpec = {
    url: ours.url,
    typists: pairs.flatMap((p) => [
      { cookie: p.senderCookie!, conversationId: p.conversationId },
      { cookie: p.receiverCookie!, conversationId: p.conversationId },
    ]),
    everyMs: sizes.typingEveryMs,
    phaseMs: PHASE_MS,
  };
  const churnSpec: ChurnSpec = { url: ours.url, cookies, perSecond: churnPerSecond, phaseMs: PHASE_MS };

  const typingRuns: LoadResult[] = [];
  const churnRuns: LoadResult[] = [];
  const typists: TypistsResult = { sent: 0, received: 0 };
  const churned: ChurnResult = { completed: 0, failed: 0, skipped: 0, onMs: 0 };
  for (let r = 0; r < sizes.repeats; r += 1) {
    const [typed, t] = await withSide(await startSideLoad<TypistsSpec, TypistsResult>('bench/load/typists.ts', typistsSpec), load);
    typingRuns.push(typed);
    typists.sent += t.sent;
    typists.received += t.received;
    const [churnedRun, c] = await withSide(await startSideLoad<ChurnSpec, ChurnResult>('bench/load/churn.ts', churnSpec), load);
    churnRuns.push(churnedRun);
    churned.completed += c.completed;
    churned.failed += c.failed;
    churned.skipped += c.skipped;
    churned.onMs += c.onMs;
  }
  return {
    pairs: pairs.length,
    ratePerSecond,
    typingEveryMs: sizes.typingEveryMs,
    typing: pool(typingRuns),
    typists,
    churnPerSecond,
    churn: pool(churnRuns),
    churned,
  };
}
