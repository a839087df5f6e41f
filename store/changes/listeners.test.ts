// Edits and deletes against the real server: optimistic and acked, live on the other side, kept through an
// outage and sent on the next connect, retried when an ack is lost, rolled back when refused, and a change
// made while a store was away reaching it on its next sync (after_rev: no ghost).
import { describe, expect, it } from 'vitest';
import { remove, say } from '../../test/support/sockets';
import { messageDeleteRequested, messageEditRequested, messageQueued, selectConnectionState, type AppStore } from '../index';
import {
  CASEY,
  cachedAsStored,
  conversationTitled,
  dropAcks,
  inboxPerTest,
  openThread,
  thread,
  TITLES,
  until,
  WES,
  type Inbox,
} from '../test/inbox';

const each = inboxPerTest();

const last = (store: AppStore, id: number) => thread(store, id).messages.at(-1)!;
const byId = (store: AppStore, id: number, messageId: string) => thread(store, id).messages.find((m) => m.id === messageId)!;

/** Casey's and Wes's stores with "Fix my sink" open, and a message of Casey's, sent. */
async function chat(server: Inbox, options: { socketUrl?: string } = {}) {
  const casey = await server.store(CASEY, options);
  const wes = await server.store(WES);
  const sink = conversationTitled(casey, TITLES.sink);
  await openThread(casey, sink);
  await openThread(wes, sink);
  casey.dispatch(messageQueued({ conversationId: sink, text: 'See you at 9' }));
  await until(() => last(casey, sink).status === 'sent' && last(wes, sink).message_text === 'See you at 9', 'the message on both sides');
  return { casey, wes, sink, mine: last(casey, sink).id };
}

/** The database and both caches hold the same messages, texts, tombstones and revs. */
async function expectSameEverywhere(server: Inbox, stores: AppStore[], id: number): Promise<void> {
  const stored = await server.stored(id);
  for (const store of stores) {
    await until(() => JSON.stringify(cachedAsStored(store, id)) === JSON.stringify(stored.messages), 'the cache to match the database');
    expect(store.getState().messages.byConversation[id]!.rev).toBe(stored.rev);
  }
}

describe('edits and deletes', () => {
  it('an edit shows at once, is acked, reaches the other side live and the list follows', async () => {
    const server = await each.start();
    const { casey, wes, sink, mine } = await chat(server);
    casey.dispatch(messageEditRequested({ conversationId: sink, messageId: mine, text: 'See you at 10' }));
    expect(last(casey, sink)).toMatchObject({ message_text: 'See you at 10', change: { status: 'sending' } });
    await until(() => last(casey, sink).change === undefined, 'the ack');
    expect(last(casey, sink)).toMatchObject({ message_text: 'See you at 10', rev: 1, edited_at: expect.any(String) });
    await until(() => last(wes, sink).message_text === 'See you at 10', 'the edit on the other side');
    expect(wes.getState().conversations.byId[sink]!.last_message).toMatchObject({ message_text: 'See you at 10', rev: 1 });
    expect(server.sent('edit_message')).toEqual([{ conversation_id: sink, message_id: mine, message: 'See you at 10' }]);

    casey.dispatch(messageDeleteRequested({ conversationId: sink, messageId: mine }));
    expect(last(casey, sink)).toMatchObject({ deleted: true, message_text: '' });
    await until(() => last(wes, sink).deleted, 'the delete on the other side');
    expect(last(wes, sink)).toMatchObject({ message_text: '', rev: 2 });
    expect(wes.getState().conversations.byId[sink]!.last_message).toMatchObject({ deleted: true, message_text: '' });
    await expectSameEverywhere(server, [casey, wes], sink);
    expect((await server.stored(sink)).messages.at(-1)).toMatchObject({ text: '', deleted: true, rev: 2 });
  });

  it('edits and deletes made offline are kept, then sent on connect, after the sync', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const { casey, wes, sink, mine } = await chat(server, { socketUrl: proxy.url });
    casey.dispatch(messageQueued({ conversationId: sink, text: 'Bring the wrench' }));
    await until(() => last(casey, sink).status === 'sent', 'the second message');
    const second = last(casey, sink).id;
    proxy.goOffline();
    await until(() => selectConnectionState(casey.getState()) === 'disconnected', 'the drop');
    casey.dispatch(messageEditRequested({ conversationId: sink, messageId: mine, text: 'See you at 11' }));
    casey.dispatch(messageDeleteRequested({ conversationId: sink, messageId: second }));
    expect(byId(casey, sink, mine).message_text).toBe('See you at 11');
    expect(byId(casey, sink, second).deleted).toBe(true);
    expect(server.sent('edit_message')).toEqual([]);

    proxy.goOnline();
    await until(() => Object.keys(casey.getState().messages.byConversation[sink]!.changes).length === 0 && byId(wes, sink, second).deleted, 'the changes sent', 20_000);
    expect(byId(wes, sink, mine).message_text).toBe('See you at 11');
    // On connect the catch-up goes first, then what was changed here.
    const order = server.received.filter((f) => f.user === 'Casey Client' && f.event !== 'mark_read').map((f) => f.event);
    expect(order.slice(-3)).toEqual(['sync', 'edit_message', 'delete_message']);
    await expectSameEverywhere(server, [casey, wes], sink);
  });

  it('an edit whose ack is lost is tried again, and stored once', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const { casey, wes, sink, mine } = await chat(server, { socketUrl: proxy.url });
    dropAcks(proxy, 1);
    casey.dispatch(messageEditRequested({ conversationId: sink, messageId: mine, text: 'See you at noon' }));
    await until(() => last(casey, sink).change === undefined, 'the retried ack');
    expect(server.sent('edit_message')).toHaveLength(2);
    expect(proxy.counts.acksDropped).toBe(1);
    expect((await server.stored(sink)).rev).toBe(1); // the repeat changed nothing
    await expectSameEverywhere(server, [casey, wes], sink);
  });

  it('a refused edit rolls back and keeps its error', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const { casey, sink, mine } = await chat(server, { socketUrl: proxy.url });
    proxy.goOffline();
    await until(() => selectConnectionState(casey.getState()) === 'disconnected', 'the drop');
    // Deleted in another tab while this one is cut off; this one edits it.
    await remove(await server.client(CASEY), { conversation_id: sink, message_id: mine });
    casey.dispatch(messageEditRequested({ conversationId: sink, messageId: mine, text: 'too late' }));
    proxy.goOnline();
    await until(() => last(casey, sink).change?.status === 'refused', 'the refusal', 20_000);
    expect(last(casey, sink)).toMatchObject({ deleted: true, message_text: '', change: { kind: 'edit', error: { code: 'forbidden' } } });
  });

  it('a delete made while a store was away reaches it on its next sync: no ghost', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const casey = await server.store(CASEY);
    const wes = await server.store(WES, { socketUrl: proxy.url });
    const sink = conversationTitled(casey, TITLES.sink);
    await openThread(casey, sink);
    await openThread(wes, sink);
    // An older message of Casey's (seq well below the end) and a new one, both cached by Wes.
    const early = thread(casey, sink).messages.find((m) => m.is_mine)!;
    const caseySocket = await server.client(CASEY);
    const later = await say(caseySocket, sink, 'Actually, let me check first');
    await until(() => last(wes, sink).id === later.id, 'the message at Wes');
    proxy.goOffline();
    await until(() => selectConnectionState(wes.getState()) === 'disconnected', 'the drop');
    await remove(caseySocket, { conversation_id: sink, message_id: later.id });
    await remove(caseySocket, { conversation_id: sink, message_id: early.id });
    proxy.goOnline();
    await until(() => byId(wes, sink, early.id).deleted && byId(wes, sink, later.id).deleted, 'the deletes after the reconnect', 20_000);
    const syncs = server.sent('sync', 'Wes Worker') as { conversations: { after_rev?: number }[] }[];
    expect(syncs.at(-1)!.conversations[0]!.after_rev).toBe(0);
    await expectSameEverywhere(server, [casey, wes], sink);
    expect(JSON.stringify(wes.getState())).not.toContain('Actually, let me check first');
  });
});
