// Presence on one real server process (CONTRACT section 8): online with the first socket, offline with the
// last, told to the counterpart of each shared conversation only, coalesced so that a flapping connection
// does not spam, `last_seen_at` stored and in the list. Across processes and after a kill -9:
// test/scale/presence.test.ts. Runs on SQLite, and on PostgreSQL when it is reachable.
import { describe, expect, it } from 'vitest';
import type { PresenceEvent } from '../../protocol';
import { dialectCases } from '../../test/support/databases';
import { serverOn } from '../../test/support/dialect-server';
import { eventsIn, privateDataIn } from '../../test/support/privacy';
import { ADMIN_TOKEN, CASEY, signIn, WES, WREN } from '../../test/support/sign-in';
import { type ClientSocket, nextEvent, openSocket, receivedFrames, record, titled } from '../../test/support/sockets';
import { until } from '../../test/support/until';

const cases = await dialectCases();
const WINDOW_MS = 2000;

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`presence on ${dialect.name}`, () => {
    const on = serverOn(dialect);
    const { open } = on;
    const closed = (socket: ClientSocket) => socket.close();
    const lastSeenOf = async (email: string) =>
      (await on.server.db.selectFrom('users').select('last_seen_at').where('email', '=', email).executeTakeFirstOrThrow()).last_seen_at;

    it('tells each counterpart when a user comes (first socket) and goes (last socket), and stores last_seen_at', async () => {
      const wes = await open(WES);
      const wren = await open(WREN);
      const sink = titled(wes.conversations, 'Fix my sink');
      const fence = titled(wes.conversations, 'Paint the fence');
      const wardrobe = titled(wren.conversations, 'Assemble wardrobe').id;
      // Casey has never been seen.
      expect(sink.counterpart).toEqual({ name: 'Casey Client', avatar: '/avatars/casey.svg', online: false, last_seen_at: null });
      const atWes = record(wes.socket, 'presence');
      const atWren = record(wren.socket, 'presence');

      const tab1 = (await open(CASEY)).socket;
      await until(() => atWes.length === 2 && atWren.length === 1, 'Casey online at Wes and Wren');
      const online = (conversationId: number): PresenceEvent => ({ conversation_id: conversationId, online: true, last_seen_at: null });
      expect(atWes.sort((a, b) => a.conversation_id - b.conversation_id)).toEqual([online(sink.id), online(fence.id)].sort((a, b) => a.conversation_id - b.conversation_id));
      expect(atWren).toEqual([online(wardrobe)]);
      // The list of someone arriving now says so too.
      const wesLater = await open(WES);
      expect(titled(wesLater.conversations, 'Fix my sink').counterpart).toMatchObject({ online: true, last_seen_at: null });

      // A second tab, then the first one gone: Casey stays online, nobody hears anything.
      const tab2 = (await open(CASEY)).socket;
      closed(tab1);
      // Longer than the window: a change the server took for one (a count gone wrong) would be told by now.
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 1000));
      expect(atWes).toHaveLength(2);
      const offlineAtWren = nextEvent(wren.socket, 'presence', (e) => !e.online);
      closed(tab2);
      const gone = await offlineAtWren;
      expect(gone).toEqual({ conversation_id: wardrobe, online: false, last_seen_at: expect.any(String) });
      await until(() => atWes.length === 4, 'Casey offline at Wes');
      expect(atWes.slice(2).map((e) => [e.online, e.last_seen_at])).toEqual([
        [false, gone.last_seen_at],
        [false, gone.last_seen_at],
      ]);
      expect(new Set(atWes.slice(2).map((e) => e.conversation_id))).toEqual(new Set([sink.id, fence.id]));
      expect(Date.parse(gone.last_seen_at!)).not.toBeNaN();
      // Stored within a second, together with whoever else left meanwhile.
      await until(async () => (await lastSeenOf(CASEY)) === gone.last_seen_at, 'last_seen_at stored');

      const wesAfter = await open(WES);
      expect(titled(wesAfter.conversations, 'Fix my sink').counterpart).toEqual({
        name: 'Casey Client',
        avatar: '/avatars/casey.svg',
        online: false,
        last_seen_at: gone.last_seen_at,
      });
      // Wes's own tabs coming and going told Wes nothing about himself, and Wren nothing of Wes.
      expect(atWes).toHaveLength(4);
      expect(atWren.every((e) => e.conversation_id === wardrobe)).toBe(true);
      for (const s of [wes.socket, wesLater.socket, wesAfter.socket, wren.socket]) closed(s);
    });

    it('coalesces a flapping connection: at most one change per user per 2 s, and the final state gets through', async () => {
      // Two people nobody has seen yet, so that nothing said before can arrive during the flapping.
      const admin = (path: string, body: object) =>
        fetch(`${on.server.url}/api/admin/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify(body),
        });
      const pat = { email: 'pat@example.test', name: 'Pat Client', password: 'pat-secret' };
      const flo = { email: 'flo@example.test', name: 'Flo Worker', password: 'flo-secret' };
      for (const person of [pat, flo]) expect((await admin('users', person)).status).toBe(201);
      const res = await admin('conversations', { client_email: pat.email, worker_email: flo.email, title: 'Tile the bathroom' });
      const { conversation_id: bathroom } = (await res.json()) as { conversation_id: number };
      const observer = await open({ cookie: await signIn(on.server.url, pat.email, pat.password) });
      expect(titled(observer.conversations, 'Tile the bathroom').counterpart).toMatchObject({ online: false, last_seen_at: null });
      const seen: PresenceEvent[] = [];
      observer.socket.on('presence', (event) => seen.push(event));
      const cookie = await signIn(on.server.url, flo.email, flo.password);

      const started = performance.now();
      for (let i = 0; i < 12; i += 1) {
        const flap = openSocket(on.server.url, cookie);
        await nextEvent(flap, 'conversations');
        flap.close();
      }
      // Flo ends offline: that is what Pat must hear last.
      await until(() => seen.at(-1)?.online === false, 'the final offline', 20_000);
      const span = performance.now() - started;

      const events = seen;
      expect(events.every((e) => e.conversation_id === bathroom)).toBe(true);
      // Alternating, starting with online: never the same state twice in a row.
      expect(events.map((e) => e.online)).toEqual(events.map((_, i) => i % 2 === 0));
      // 24 changes; the server tells at most one per 2 s (however slowly this machine flapped).
      expect(events.length).toBeLessThanOrEqual(Math.floor(span / WINDOW_MS) + 1);
      expect(events.length).toBeLessThan(24);
      await until(async () => (await lastSeenOf(flo.email)) === events.at(-1)!.last_seen_at, 'the last last_seen_at stored');
    }, 60_000);

    it('lists the stored last_seen_at after a restart, when nothing has been announced since', async () => {
      const before = await open(WES);
      const stored = titled(before.conversations, 'Fix my sink').counterpart.last_seen_at;
      expect(stored).toEqual(await lastSeenOf(CASEY));
      expect(stored).not.toBeNull();
      closed(before.socket);
      await on.restart();
      const after = await open(WES);
      expect(titled(after.conversations, 'Fix my sink').counterpart).toMatchObject({ online: false, last_seen_at: stored });
    });
  });
}

describe('privacy', () => {
  it('no frame of this run carried an email, a user id or a password hash, presence included', () => {
    expect(eventsIn(receivedFrames)).toContain('presence');
    expect(privateDataIn(receivedFrames)).toEqual([]);
  });
});
