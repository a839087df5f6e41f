// Read receipts against the real server.
import { describe, expect, it } from 'vitest';
import { say } from '../../test/support/sockets';
import { conversationRead, selectConnectionState } from '../index';
import type { AppStore } from '../index';
import { CASEY, conversationTitled, inboxPerTest, openThread, thread, TITLES, until, WES } from '../test/inbox';

const each = inboxPerTest();

const unread = (store: AppStore, id: number) => store.getState().conversations.byId[id]!.unread_count;

describe('read receipts', () => {
  it('a message arriving on screen is read at once; elsewhere it counts as unread', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const [sink, fence] = [conversationTitled(store, TITLES.sink), conversationTitled(store, TITLES.fence)];
    await openThread(store, sink);
    const wes = await server.client(WES);
    const seen = await say(wes, sink, 'on screen');
    await say(wes, fence, 'elsewhere');
    await until(() => unread(store, fence) === 1, 'the unread count');
    await until(() => server.sent('mark_read').length === 1, 'the read mark');
    expect(server.sent('mark_read')).toEqual([{ conversation_id: sink, up_to_seq: seen.seq }]);
    expect(unread(store, sink)).toBe(0);
    expect(thread(store, sink).messages.at(-1)!.is_read).toBe(true);
    await until(() => store.getState().reads.unconfirmed[sink] === undefined, 'the server echo');
  });

  it('a conversation read while offline is marked read once the connection is back', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const store = await server.store(CASEY, { socketUrl: proxy.url });
    const fence = conversationTitled(store, TITLES.fence);
    const message = await say(await server.client(WES), fence, 'read me later');
    await until(() => unread(store, fence) === 1, 'the unread count');
    proxy.goOffline();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    store.dispatch(conversationRead({ conversationId: fence, upToSeq: message.seq }));
    expect(unread(store, fence)).toBe(0);
    proxy.goOnline();
    await until(() => server.sent('mark_read').length === 1, 'the read mark', 30_000);
    expect(server.sent('mark_read')).toEqual([{ conversation_id: fence, up_to_seq: message.seq }]);
    await until(() => store.getState().reads.unconfirmed[fence] === undefined, 'the server echo');
    // The server keeps it: a new tab of Casey's has nothing unread there.
    expect(unread(await server.store(CASEY), fence)).toBe(0);
  });
});
