// The cluster survives its parts failing. Redis goes away during traffic and comes back: sends keep being
// stored, acked and delivered on their own process, and fan-out heals by itself. Then a server process dies
// (kill -9) behind the load balancer: the client's store reconnects through it to the surviving process
// and catches up through `sync`; what it typed meanwhile is sent then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageQueued, selectConnectionState } from '../../store';
import { waitForHealth } from '../support/health';
import type { ServerProcess } from '../support/server-process';
import { CASEY, signIn, WES } from '../support/sign-in';
import { disconnection, nextEvent, openSocket } from '../support/sockets';
import { conversationTitled, isGapless, openThread, storeSet, threadMessages, threadTexts } from '../support/stores';
import { until } from '../support/until';
import { portOf, scaleSkipReason, startCluster, type Cluster } from './cluster';
import { startProxy, type Proxy } from './proxy';

const skipReason = scaleSkipReason();

// One cluster for both tests (process starts dominate the run time); the outage runs first, as the
// failover leaves only one process.
describe.skipIf(skipReason !== null)('failures in a cluster of two', () => {
  let cluster: Cluster;
  let proxy: Proxy;
  const stores = storeSet();

  beforeAll(async () => {
    cluster = await startCluster(2);
    proxy = await startProxy(cluster.servers.map((s) => portOf(s.url)));
  }, 120_000); // two process starts on a busy machine

  afterAll(async () => {
    stores.stopAll();
    await proxy?.close();
    await cluster?.stop();
  });

  it('keeps serving each process on its own, then heals without a restart and loses nothing', async () => {
    const [one, two] = cluster.servers.map((s) => s.url) as [string, string];
    const casey = await stores.openAs(CASEY, one);
    const wesHere = await stores.openAs(WES, one); // Wes's tab on Casey's process
    const wes = await stores.openAs(WES, two);
    const mine = [casey, wesHere, wes];
    const sink = conversationTitled(casey, 'Fix my sink');
    for (const store of mine) await openThread(store, sink);
    casey.dispatch(messageQueued({ conversationId: sink, text: 'before the outage' }));
    await until(() => threadTexts(wes, sink).includes('before the outage'), 'fan-out through Redis');

    await cluster.redis.stop();
    for (const url of [one, two]) await waitForHealth(url, (h) => h.ok && !h.redis);

    // Signing out still disconnects that session's sockets on the process that handled it.
    const cookie = await signIn(one, CASEY);
    const tab = openSocket(one, cookie);
    await nextEvent(tab, 'conversations');
    const dropped = disconnection(tab);
    expect((await fetch(`${one}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');

    const fromCasey = [0, 1, 2].map((i) => `Redis is down ${i}`);
    const fromWes = [0, 1, 2].map((i) => `still here ${i}`);
    for (const text of fromCasey) casey.dispatch(messageQueued({ conversationId: sink, text }));
    for (const text of fromWes) wes.dispatch(messageQueued({ conversationId: sink, text }));
    await until(() => threadMessages(casey, sink).every((m) => m.status === 'sent'), "Casey's acks");
    await until(() => threadMessages(wes, sink).every((m) => m.status === 'sent'), "Wes's acks");
    await until(() => fromCasey.every((t) => threadTexts(wesHere, sink).includes(t)), 'delivery on the same process');
    const stored = await cluster.query<{ text: string }>(`select text from messages where text like 'Redis is down %' or text like 'still here %'`);
    expect(stored.map((r) => r.text).sort()).toEqual([...fromCasey, ...fromWes].sort());

    await cluster.redis.start();
    for (const url of [one, two]) await waitForHealth(url, (h) => h.ok && h.redis);
    // Fan-out is back by itself: new messages cross live, and the stores fill what they missed.
    casey.dispatch(messageQueued({ conversationId: sink, text: 'Redis is back' }));
    await until(() => threadTexts(wes, sink).includes('Redis is back'), 'fan-out after the outage');
    wes.dispatch(messageQueued({ conversationId: sink, text: 'so I see' }));
    await until(() => threadTexts(casey, sink).includes('so I see'), 'fan-out the other way');
    for (const store of mine) {
      await until(() => [...fromCasey, ...fromWes].every((t) => threadTexts(store, sink).includes(t)), 'the catch-up');
      // Wes's tab on process 1 hears his own last message through Redis, maybe after Casey does: a thread
      // that ends before it is gapless too, so wait for it before the order is checked.
      await until(() => threadTexts(store, sink).includes('so I see'), 'the last message in every store');
      await until(() => isGapless(store, sink), 'a gapless thread');
      expect(threadTexts(store, sink).at(-1)).toBe('so I see');
    }
    stores.stopAll();
  }, 60_000);

  it('reconnects Casey to process 2 after process 1 is killed, with nothing lost either way', async () => {
    const [one, two] = cluster.servers as [ServerProcess, ServerProcess];
    for (const server of [one, two]) await waitForHealth(server.url, (h) => h.redis);
    const casey = await stores.openAs(CASEY, proxy.url, one.url);
    const wes = await stores.openAs(WES, two.url);
    expect(proxy.routes).toEqual([0]); // Casey's socket is on process 1
    const sink = conversationTitled(casey, 'Fix my sink');
    await openThread(casey, sink);
    await openThread(wes, sink);
    wes.dispatch(messageQueued({ conversationId: sink, text: 'before the crash' }));
    await until(() => threadTexts(casey, sink).includes('before the crash'), 'the live message on process 1');

    // The balancer turns Casey away until Wes has spoken, so what he says can only reach her by `sync`.
    proxy.pause();
    await one.stop('SIGKILL');
    await until(() => selectConnectionState(casey.getState()) === 'disconnected', 'the drop');
    const whileAway = Array.from({ length: 5 }, (_, i) => `while you were away ${i}`);
    for (const text of whileAway) wes.dispatch(messageQueued({ conversationId: sink, text }));
    casey.dispatch(messageQueued({ conversationId: sink, text: 'typed offline' }));
    await until(() => threadMessages(wes, sink).every((m) => m.status === 'sent'), "Wes's acks");
    expect(threadMessages(casey, sink).at(-1)).toMatchObject({ message_text: 'typed offline', status: 'pending' });
    expect(threadTexts(casey, sink)).not.toContain(whileAway[0]);

    proxy.resume();
    await until(() => selectConnectionState(casey.getState()) === 'connected', 'the reconnect', 25_000);
    expect(proxy.routes.at(-1)).toBe(1);
    await until(() => whileAway.every((t) => threadTexts(casey, sink).includes(t)), 'the catch-up');
    await until(() => threadMessages(casey, sink).every((m) => m.status === 'sent'), "Casey's queued send");
    await until(() => threadTexts(wes, sink).includes('typed offline'), 'the queued message at Wes');
    for (const store of [casey, wes]) {
      expect(isGapless(store, sink)).toBe(true);
      expect(threadTexts(store, sink).slice(-7)).toEqual(['before the crash', ...whileAway, 'typed offline']);
    }
  }, 60_000);
});
