// Presence churn, a side load (side-process.ts): sockets of the given users connect and leave, one socket
// per user at a time, `perSecond` socket lifecycles a second in all, in the on phases only (`phaseAt`, the
// load generator's clock). Each lifecycle is a user's first socket arriving and their last one going: two
// presence changes, which the server tells the user's counterparts (coalesced per user).
// Run: `node --import tsx bench/load/churn.ts` (see side-process.ts).
import { connectClient } from '../socket';
import { ready, sideProcess } from './side-process';
import { phaseAt, type ChurnResult, type ChurnSpec } from './spec';

await sideProcess<ChurnSpec, ChurnResult>(async (spec, stopped) => {
  const result: ChurnResult = { completed: 0, failed: 0, skipped: 0, onMs: 0 };
  const tickMs = 1000 / spec.perSecond;
  const busy = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let next = 0;

  const lifecycle = async (user: number) => {
    busy.add(user);
    try {
      const socket = await connectClient(spec.url, { cookie: spec.cookies[user] });
      socket.close();
      result.completed += 1;
    } catch {
      result.failed += 1;
    } finally {
      busy.delete(user);
    }
  };

  const timer = setInterval(() => {
    if (!phaseAt(Date.now(), spec.phaseMs).on) return;
    result.onMs += tickMs;
    const user = next;
    next = (next + 1) % spec.cookies.length;
    // One socket per user at a time: a user still connecting is skipped this turn.
    if (busy.has(user)) return void (result.skipped += 1);
    const running = lifecycle(user);
    inFlight.add(running);
    void running.then(() => inFlight.delete(running));
  }, tickMs);
  ready();
  await stopped;
  clearInterval(timer);
  await Promise.all(inFlight);
  return result;
});
