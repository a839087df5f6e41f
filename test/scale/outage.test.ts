// What crosses a Redis outage between two processes. Broadcasts are not queued while Redis is down (a
// queue would hold the whole outage in memory and replay it late; clients catch up through `sync`); what
// clients cannot catch up on by themselves, a sign-out and a live join, reaches the other process once
// Redis is back.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForHealth } from '../support/health';
import { until } from '../support/until';
import { ADMIN_TOKEN, CASEY, signIn, WES } from '../support/sign-in';
import { type ClientSocket, connectAs, disconnection, nextEvent, record, say, titled } from '../support/sockets';
import { scaleSkipReason, startCluster, type Cluster } from './cluster';

const skipReason = scaleSkipReason();

describe.skipIf(skipReason !== null)('a Redis outage between two processes', () => {
  let cluster: Cluster;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  it('replays no broadcast of the outage, and still delivers its sign-outs and live joins when Redis returns', async () => {
    const [one, two] = cluster.servers.map((s) => s.url) as [string, string];
    const casey = await connectAs(one, CASEY);
    const wes = await connectAs(two, WES);
    const wesCookie = await signIn(one, WES);
    const wesOtherTab = await connectAs(two, { cookie: wesCookie });
    sockets.push(casey.socket, wes.socket, wesOtherTab.socket);
    const sink = titled(casey.conversations, 'Fix my sink').id;
    const heardByWes = record(wes.socket, 'message');

    await cluster.redis.stop();
    for (const url of [one, two]) await waitForHealth(url, (h) => h.ok && !h.redis);
    const duringOutage = [0, 1, 2].map((i) => `during the outage ${i}`);
    for (const text of duringOutage) await say(casey.socket, sink, text);
    // Signed out on process 1: the tab on process 2 can only hear of it through Redis.
    const signedOut = disconnection(wesOtherTab.socket, 60_000);
    expect((await fetch(`${one}/api/session`, { method: 'DELETE', headers: { cookie: wesCookie } })).status).toBe(200);
    // A conversation added on process 1 appears in Wes's inbox on process 2.
    const title = 'Added during the outage';
    const listed = nextEvent(wes.socket, 'conversations', (l) => l.conversations.some((c) => c.job.title === title), 60_000);
    const added = await fetch(`${one}/api/admin/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_email: CASEY, worker_email: WES, title }),
    });
    expect(added.status).toBe(201);
    expect(wesOtherTab.socket.connected).toBe(true);

    await cluster.redis.start();
    // Everything published from now on, heard before the servers' clients are back (they retry up to 2 s
    // apart): a queue kept through the outage would be replayed here.
    const observer = new Redis(cluster.redis.url);
    const published: string[] = [];
    observer.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => published.push(message.toString('latin1')));
    await observer.psubscribe('socket.io#*');
    for (const url of [one, two]) await waitForHealth(url, (h) => h.ok && h.redis);
    expect(await signedOut).toBe('io server disconnect');
    await listed;
    // Fan-out is back by itself; what was said during the outage never crosses (Wes's client syncs it).
    const live = nextEvent(wes.socket, 'message', (e) => e.message.message_text === 'after the outage', 30_000);
    await say(casey.socket, sink, 'after the outage');
    await live;
    // The observer hears the publish on a connection of its own: it may come in after Wes's delivery.
    await until(() => published.some((m) => m.includes('after the outage')), 'the message published through Redis');
    observer.disconnect();
    expect(published.some((m) => m.includes('after the outage'))).toBe(true);
    // (The conversation lists sent again for the live join name the last message: they may carry one.)
    const replayed = published.filter((m) => m.includes('during the outage') && !m.includes('last_message'));
    expect(replayed).toEqual([]);
    expect(heardByWes.map((e) => e.message.message_text)).toEqual(['after the outage']);
  }, 120_000);
});
