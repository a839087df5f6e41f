// Presence across two processes on one PostgreSQL and one Redis (presence-redis.ts): online and offline are
// told to a counterpart on the other process, a user with sockets on both stays online until the last one
// goes, and after a kill -9 of a process its users are shown offline on the other one. The processes beat
// every 300 ms here (PRESENCE_HEARTBEAT_MS) so that the kill -9 test takes seconds, not the default's 42.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../protocol';
import { loadConfig } from '../../server/config';
import { PRESENCE_WINDOW_MS } from '../../server/socket/presence';
import { waitForHealth } from '../support/health';
import type { ServerProcess } from '../support/server-process';
import { CASEY, WES } from '../support/sign-in';
import { type ClientSocket, connectAs, nextEvent, record, titled } from '../support/sockets';
import { until } from '../support/until';
import { scaleSkipReason, startCluster, type Cluster } from './cluster';

const skipReason = scaleSkipReason();

it('shows a process that dies without a word offline within 60 s with the default heartbeat', () => {
  // Three missed beats make a process dead, the next sweep (one beat later) settles its users, and the
  // announcement may wait out the coalescing window.
  const { presenceHeartbeatMs } = loadConfig({}, []);
  expect(presenceHeartbeatMs * 4 + PRESENCE_WINDOW_MS).toBeLessThanOrEqual(60_000);
});

describe.skipIf(skipReason !== null)('presence across two processes', () => {
  let cluster: Cluster;
  let one: ServerProcess;
  let two: ServerProcess;
  const sockets: ClientSocket[] = [];

  async function open(server: ServerProcess, who: string) {
    const connected = await connectAs(server.url, who);
    sockets.push(connected.socket);
    return connected;
  }

  beforeAll(async () => {
    cluster = await startCluster(2, { PRESENCE_HEARTBEAT_MS: '300' });
    [one, two] = cluster.servers as [ServerProcess, ServerProcess];
  }, 120_000); // two process starts on a busy machine

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  it('tells a counterpart on the other process; online until the last socket on either process goes', async () => {
    const wes = await open(two, WES);
    const sink = titled(wes.conversations, 'Fix my sink').id;
    const atWes = record(wes.socket, 'presence');
    const inSink = () => atWes.filter((e) => e.conversation_id === sink);

    const onOne = await open(one, CASEY);
    await until(() => inSink().length === 1, 'Casey online at Wes, across processes');
    expect(inSink()).toEqual([{ conversation_id: sink, online: true, last_seen_at: null }]);
    // Both processes' lists say so.
    for (const server of [one, two]) expect(titled((await open(server, WES)).conversations, 'Fix my sink').counterpart.online).toBe(true);

    // A tab on process 2, then the one on process 1 gone: still online.
    const onTwo = await open(two, CASEY);
    onOne.socket.close();
    await new Promise((resolve) => setTimeout(resolve, PRESENCE_WINDOW_MS + 1000));
    expect(inSink()).toHaveLength(1);

    const offline = nextEvent(wes.socket, 'presence', (e) => e.conversation_id === sink && !e.online);
    onTwo.socket.close();
    const gone: PresenceEvent = await offline;
    expect(gone.last_seen_at).toEqual(expect.any(String));
    const stored = async () => (await cluster.query<{ last_seen_at: string }>(`select last_seen_at from users where email = '${CASEY}'`))[0]?.last_seen_at;
    await until(async () => (await stored()) === gone.last_seen_at, 'last_seen_at stored');
    for (const server of [one, two]) {
      expect(titled((await open(server, WES)).conversations, 'Fix my sink').counterpart).toMatchObject({ online: false, last_seen_at: gone.last_seen_at });
    }
  });

  it('tells what changed while Redis was away once it is back, without a restart', async () => {
    const wes = await open(two, WES);
    const sink = titled(wes.conversations, 'Fix my sink').id;
    const online = nextEvent(wes.socket, 'presence', (e) => e.conversation_id === sink && e.online);
    const casey = await open(one, CASEY);
    await online;

    await cluster.redis.stop();
    for (const server of [one, two]) await waitForHealth(server.url, (h) => !h.redis);
    // Casey leaves while Redis is away: process 1 cannot tell anyone yet, and her socket's going is not lost.
    const offline = nextEvent(wes.socket, 'presence', (e) => e.conversation_id === sink && !e.online, 60_000);
    casey.socket.close();
    await cluster.redis.start(); // empty: what was said before is gone too
    for (const server of [one, two]) await waitForHealth(server.url, (h) => h.redis);
    expect(await offline).toMatchObject({ online: false, last_seen_at: expect.any(String) });
    // Wes is still online as far as process 1 knows: process 2 wrote his count again and told it afresh.
    const listed = async () => {
      const { socket, conversations } = await connectAs(one.url, CASEY);
      socket.close();
      return titled(conversations, 'Fix my sink').counterpart.online;
    };
    await until(listed, 'Wes online in a list on process 1', 30_000, 500);
  }, 90_000);

  it('shows the users of a process killed with kill -9 offline on the other one', async () => {
    const wes = await open(two, WES);
    const sink = titled(wes.conversations, 'Fix my sink').id;
    const online = nextEvent(wes.socket, 'presence', (e) => e.conversation_id === sink && e.online);
    await open(one, CASEY);
    await online;

    const offline = nextEvent(wes.socket, 'presence', (e) => e.conversation_id === sink && !e.online, 60_000);
    await one.stop('SIGKILL');
    expect(await offline).toMatchObject({ online: false, last_seen_at: expect.any(String) });
    expect(titled((await open(two, WES)).conversations, 'Fix my sink').counterpart.online).toBe(false);
  }, 90_000);
});
