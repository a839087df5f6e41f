// The messages listeners against the real server: histories, the cache lines, rate-limited re-asks, gap
// and reconnect syncs, and invalidation by a completed marking.
import { describe, expect, it } from 'vitest';
import { say } from '../../test/support/sockets';
import { conversationOpened, markCompleteRequested, messageQueued, olderMessagesRequested, selectConnectionState } from '../index';
import { loadWholeHistory } from '../../test/support/stores';
import { CASEY, conversationTitled, inboxPerTest, openThread, thread, TITLES, until, WES, type Inbox } from '../test/inbox';

const each = inboxPerTest();

const isSyncAnswer = (payload: unknown): payload is { conversation_id: number; after_seq: number } =>
  (payload as { after_seq?: number }).after_seq !== undefined;

const getMessagesFor = (server: Inbox, id: number) =>
  server.sent('get_messages').filter((p) => (p as { conversation_id: number }).conversation_id === id);

/** Casey's store, its socket through a proxy (to cut), with the sink and the fence loaded. */
async function twoThreadsBehindProxy() {
  const server = await each.start();
  const proxy = await server.proxy();
  const store = await server.store(CASEY, { socketUrl: proxy.url });
  const [sink, fence] = [conversationTitled(store, TITLES.sink), conversationTitled(store, TITLES.fence)];
  await openThread(store, sink);
  await openThread(store, fence);
  return { server, proxy, store, sink, fence };
}

describe('messages listeners', () => {
  it('opening sends exactly one get_messages; re-opening a cached conversation sends nothing', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const [sink, fence, wardrobe] = [conversationTitled(store, TITLES.sink), conversationTitled(store, TITLES.fence), conversationTitled(store, TITLES.wardrobe)];
    store.dispatch(conversationOpened({ conversationId: sink }));
    expect(thread(store, sink).loading).toBe(true);
    store.dispatch(conversationOpened({ conversationId: sink }));
    await until(() => thread(store, sink).loaded, 'the first history');
    const loaded = thread(store, sink).messages.length;
    expect(loaded).toBe((await server.storedTexts(sink)).length);
    await openThread(store, fence);
    store.dispatch(conversationOpened({ conversationId: sink }));
    expect(thread(store, sink).loading).toBe(false);
    await openThread(store, wardrobe); // frames arrive in order: once it is answered, nothing else is on its way
    expect(server.sent('get_messages')).toEqual([{ conversation_id: sink }, { conversation_id: fence }, { conversation_id: wardrobe }]);
    expect(each.lines).toEqual(expect.arrayContaining([
      `[Stream Controller] Requesting messages via WebSocket: ${sink}`,
      `[Stream Controller] Cached ${loaded} messages for conversation ${sink}`,
      `[Stream Controller] Instant load from cache: ${sink} (${loaded} messages)`,
    ]));
  });

  it('asks for a history again when the request was rate limited', async () => {
    // 2 frames/s, bursts of 4: three sends and a first history fill the bucket, the next history is refused.
    const server = await each.start({ ratePerSecond: 2 });
    const store = await server.store(CASEY);
    const [sink, fence, wardrobe] = [conversationTitled(store, TITLES.sink), conversationTitled(store, TITLES.fence), conversationTitled(store, TITLES.wardrobe)];
    await openThread(store, sink);
    for (const id of [sink, fence, wardrobe]) store.dispatch(messageQueued({ conversationId: id, text: 'burst' }));
    await until(() => server.sent('send_message').length === 3, 'the three sends');
    await openThread(store, fence);
    expect(getMessagesFor(server, fence)).toEqual([{ conversation_id: fence }, { conversation_id: fence }]);
  });

  it('stays quiet on the console without the debug flag', async () => {
    const server = await each.start();
    const store = await server.store(CASEY, { debug: false });
    await openThread(store, conversationTitled(store, TITLES.sink));
    expect(each.lines).toEqual([]);
  });

  it('a message beyond a gap triggers a sync that fills it', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    // Two messages stored through a second server on the same database reach only its own sockets (no
    // Redis between them); the third, through this one, arrives with a gap before it.
    const elsewhere = await server.client(WES, (await server.second()).url);
    await say(elsewhere, sink, 'missed one');
    await say(elsewhere, sink, 'missed two');
    await say(await server.client(WES), sink, 'seen live');
    await until(() => thread(store, sink).messages.length === loaded + 3, 'the gap filled');
    expect(server.sent('sync')).toEqual([{ conversations: [{ conversation_id: sink, after_seq: loaded, after_rev: 0 }] }]);
    expect(thread(store, sink).messages.map((m) => m.seq)).toEqual(Array.from({ length: loaded + 3 }, (_, i) => i + 1));
    expect(thread(store, sink).messages.slice(-3).map((m) => m.message_text)).toEqual(['missed one', 'missed two', 'seen live']);
    expect(each.lines).toContain(`[Stream Controller] Added message to cache for conversation ${sink} (now ${loaded + 1} messages)`);
  });

  it('after a reconnect, syncs every loaded conversation from its gap-free seq', async () => {
    const { server, proxy, store, sink, fence } = await twoThreadsBehindProxy();
    const [sinkSeq, fenceSeq] = [thread(store, sink).messages.length, thread(store, fence).messages.length];
    proxy.goOffline();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    const wes = await server.client(WES);
    await say(wes, sink, 'while you were away');
    await say(wes, sink, 'and again');
    proxy.goOnline();
    await until(() => thread(store, sink).messages.length === sinkSeq + 2, 'the catch-up');
    const byId = (a: { conversation_id: number }, b: { conversation_id: number }) => a.conversation_id - b.conversation_id;
    const syncs = server.sent('sync') as { conversations: { conversation_id: number; after_seq: number }[] }[];
    expect(syncs.map((s) => s.conversations.sort(byId))).toEqual([
      [{ conversation_id: sink, after_seq: sinkSeq, after_rev: 0 }, { conversation_id: fence, after_seq: fenceSeq, after_rev: 0 }].sort(byId),
    ]);
    expect(thread(store, fence).messages).toHaveLength(fenceSeq);
  });

  it('a sync whose answer never came is sent again after the ack timeout, until the gap is filled', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    let dropped = 0;
    server.answerFault = (event, payload) => {
      if (event !== 'messages_response' || !isSyncAnswer(payload) || dropped > 0) return undefined;
      dropped += 1;
      return null;
    };
    await say(await server.client(WES, (await server.second()).url), sink, 'missed');
    await say(await server.client(WES), sink, 'seen live');
    await until(() => thread(store, sink).messages.length === loaded + 2, 'the gap filled');
    expect(dropped).toBe(1);
    const entry = { conversations: [{ conversation_id: sink, after_seq: loaded, after_rev: 0 }] };
    expect(server.sent('sync')).toEqual([entry, entry]);
    expect(thread(store, sink).messages.slice(-2).map((m) => m.message_text)).toEqual(['missed', 'seen live']);
  });

  it('an own message acked past messages never received syncs the gap before it', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    await say(await server.client(WES, (await server.second()).url), sink, 'missed');
    store.dispatch(messageQueued({ conversationId: sink, text: 'mine' }));
    await until(() => thread(store, sink).messages.length === loaded + 2, 'the gap filled');
    expect(server.sent('sync')).toEqual([{ conversations: [{ conversation_id: sink, after_seq: loaded, after_rev: 0 }] }]);
    expect(thread(store, sink).messages.slice(-2).map((m) => `${m.message_text}:${m.status}`)).toEqual(['missed:sent', 'mine:sent']);
  });

  it('a sync refused as rate_limited is sent again, naming every loaded conversation', async () => {
    const { server, proxy, store, sink, fence } = await twoThreadsBehindProxy();
    const sinkSeq = thread(store, sink).messages.length;
    proxy.goOffline();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    await say(await server.client(WES), sink, 'while you were away');
    // The reconnect's sync is answered for the fence, and refused (as a frame over the limit would be) for the sink.
    let refused = 0;
    server.answerFault = (event, payload) => {
      if (event !== 'messages_response' || !isSyncAnswer(payload) || payload.conversation_id !== sink || refused > 0) return undefined;
      refused += 1;
      return ['error', { code: 'rate_limited', message: 'too many frames waiting, slow down' }];
    };
    proxy.goOnline();
    await until(() => thread(store, sink).messages.length === sinkSeq + 1, 'the catch-up after the refusal');
    expect(refused).toBe(1);
    const named = (server.sent('sync') as { conversations: { conversation_id: number }[] }[]).map((s) =>
      s.conversations.map((c) => c.conversation_id).sort((a, b) => a - b),
    );
    expect(named).toEqual([[sink, fence].sort((a, b) => a - b), [sink, fence].sort((a, b) => a - b)]);
  });

  it('an older page asked for before a reconnect replaced the cache leaves no hole in it', async () => {
    const server = await each.start({ ratePerSecond: 100_000 });
    const proxy = await server.proxy();
    const store = await server.store(CASEY, { socketUrl: proxy.url });
    const sink = conversationTitled(store, TITLES.sink);
    const wes = await server.client(WES);
    for (let i = 0; i < 250; i += 1) await say(wes, sink, `before ${i}`);
    await openThread(store, sink); // the latest 200: older ones to page in
    expect(thread(store, sink).hasMore).toBe(true);
    proxy.goOffline();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    // Scrolled to the top while offline: the older page goes out with the reconnect's sync, which finds
    // more than 200 missed and is answered with the latest page, replacing the cache first.
    store.dispatch(olderMessagesRequested({ conversationId: sink }));
    for (let i = 0; i < 210; i += 1) await say(wes, sink, `away ${i}`);
    proxy.goOnline();
    await until(() => thread(store, sink).messages.at(-1)?.message_text === 'away 209' && !thread(store, sink).loadingOlder, 'the catch-up');
    await loadWholeHistory(store, sink);
    const stored = await server.storedTexts(sink);
    expect(thread(store, sink).messages.map((m) => m.message_text)).toEqual(stored);
  });

  it('marking complete invalidates the cache: the next open asks afresh, once', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const [sink, fence] = [conversationTitled(store, TITLES.sink), conversationTitled(store, TITLES.fence)];
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    store.dispatch(markCompleteRequested({ conversationId: sink }));
    await until(() => each.lines.includes(`[Stream Controller] Invalidating cache for conversation ${sink}`), 'the invalidation');
    expect(store.getState().conversations.byId[sink]!.job.clientMarkedComplete).toBe(true);
    await until(() => thread(store, sink).messages.length === loaded + 1, 'the SYSTEM message on screen');
    await openThread(store, fence);
    expect(thread(store, sink).messages).toEqual([]);
    await openThread(store, sink);
    expect(getMessagesFor(server, sink)).toHaveLength(2);
    expect(thread(store, sink).messages).toHaveLength(loaded + 1);
  });
});
