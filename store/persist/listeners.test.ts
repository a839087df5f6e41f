// The store with its browser cache (fake-indexeddb) against the real server: a store restored from disk
// shows its threads before the socket, sends no get_messages for them, one sync for all, and merges what
// it missed once; the outbox survives a closed page; a failing disk changes nothing the user sees; hover
// prefetch loads in the background.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../protocol';
import {
  conversationOpened,
  conversationPrefetched,
  inboxStarted,
  inboxStopped,
  makeStore,
  messageQueued,
  openInboxCache,
  restoreCache,
  selectConnectionState,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
} from '../index';
import { signIn } from '../../test/support/sign-in';
import { CASEY, conversationTitled, inboxPerTest, openThread, TITLES, until, WES, type Inbox } from '../test/inbox';
import { databaseName, SCHEMA_VERSION } from './db';

const each = inboxPerTest();
const KEY = 'casey-cache-key-0123456789';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** A page's life: a store with Casey's cache, restored, then started (as InboxShell does). */
async function page(server: Inbox, cookie: string, options: { socketUrl?: string; key?: string; version?: number; restoreMs?: number } = {}): Promise<AppStore> {
  const cache = openInboxCache(options.key ?? KEY, { version: options.version });
  const store = makeStore({
    cache,
    debug: true,
    devChecks: false,
    outbox: { ackTimeoutMs: 1000, retryDelayMs: 50 },
    socket: { url: options.socketUrl ?? server.url, headers: { cookie } },
  });
  await restoreCache(store, cache, options.restoreMs ?? 5000);
  stores.push(store);
  store.dispatch(inboxStarted());
  return store;
}
const stores: AppStore[] = [];
beforeEach(() => {
  stores.splice(0);
});

type Disk = { threads: { conversationId: number; cursor: Record<string, unknown> }[]; messages: Message[]; outbox: { id: string; message_text: string }[]; list: unknown[] };

/** The database as stored, read with plain idb (not the module under test), closed again at once. */
async function readDisk(key = KEY): Promise<Disk> {
  const db = await openDB(databaseName(key));
  try {
    const [threads, messages, outbox, list] = await Promise.all(
      ['threads', 'messages', 'outbox', 'list'].map((store) => db.getAll(store)),
    );
    return { threads: threads!, messages: messages!, outbox: outbox!, list: list! } as Disk;
  } finally {
    db.close();
  }
}

const seqsOnDisk = (disk: Disk, id: number) => disk.messages.filter((m) => m.conversation_id === id).map((m) => m.seq);
const texts = (store: AppStore, id: number) => selectThread(store.getState(), id).messages.map((m) => m.message_text);

function closePage(store: AppStore): void {
  store.dispatch(inboxStopped());
}

/** Casey's first page, with "Fix my sink" open and loaded. */
async function caseyOnSink(server: Inbox, socketUrl?: string) {
  const cookie = await signIn(server.url, CASEY);
  const first = await page(server, cookie, { socketUrl });
  await until(() => selectConversationsLoaded(first.getState()), 'the list');
  const sink = conversationTitled(first, TITLES.sink);
  await openThread(first, sink);
  return { cookie, first, sink };
}

/**
 * Casey's page, cut off (TCP proxy), queues `texts`; once they are in the outbox on disk the page closes
 * and the connection comes back for the next one.
 */
async function typedOffline(server: Inbox, texts: string[]) {
  const proxy = await server.proxy();
  const { cookie, first, sink } = await caseyOnSink(server, proxy.url);
  proxy.goOffline();
  await until(() => selectConnectionState(first.getState()) === 'disconnected', 'offline');
  for (const text of texts) first.dispatch(messageQueued({ conversationId: sink, text }));
  await until(async () => (await readDisk()).outbox.length === texts.length, 'the outbox on disk', 2000);
  closePage(first);
  proxy.goOnline();
  return { cookie, sink, proxy };
}

describe('the store with its browser cache', () => {
  it('reopens from disk: threads before the socket, no get_messages, one sync, the missed message once', async () => {
    const server = await each.start();
    const { cookie, first, sink } = await caseyOnSink(server);
    const fence = conversationTitled(first, TITLES.fence);
    await openThread(first, fence);
    const sinkTexts = texts(first, sink);
    await until(async () => seqsOnDisk(await readDisk(), sink).length === sinkTexts.length && seqsOnDisk(await readDisk(), fence).length > 0, 'both threads on disk');
    closePage(first);

    // While the page is closed, Wes writes.
    const wes = await server.store(WES);
    wes.dispatch(messageQueued({ conversationId: sink, text: 'Missed you' }));
    await until(async () => (await server.storedTexts(sink)).includes('Missed you'), 'the stored message');

    const sentBefore = server.received.length;
    const cache = openInboxCache(KEY);
    const second = makeStore({ cache, debug: true, devChecks: false, socket: { url: server.url, headers: { cookie } } });
    await restoreCache(second, cache, 5000);
    stores.push(second);
    // Before any socket: the list and both threads, loaded, nothing loading.
    expect(selectConversationsLoaded(second.getState())).toBe(true);
    expect(selectThread(second.getState(), sink)).toMatchObject({ loaded: true, loading: false });
    expect(texts(second, sink)).toEqual(sinkTexts);
    expect(each.lines).toContain(`[Stream Controller] Restored 2 conversations from disk (${sinkTexts.length + texts(first, fence).length} messages)`);
    second.dispatch(inboxStarted());
    second.dispatch(conversationOpened({ conversationId: sink }));
    expect(each.lines).toContain(`[Stream Controller] Instant load from cache: ${sink} (${sinkTexts.length} messages)`);

    await until(() => texts(second, sink).includes('Missed you'), 'the missed message');
    const caseyFrames = server.received.slice(sentBefore).filter((f) => f.user === 'Casey Client');
    expect(caseyFrames.filter((f) => f.event === 'get_messages')).toEqual([]);
    const syncs = caseyFrames.filter((f) => f.event === 'sync').map((f) => f.payload);
    expect(syncs).toEqual([
      {
        conversations: expect.arrayContaining([
          { conversation_id: sink, after_seq: sinkTexts.length, after_rev: 0 },
          { conversation_id: fence, after_seq: texts(first, fence).length, after_rev: 0 },
        ]),
      },
    ]);
    expect(texts(second, sink)).toEqual([...sinkTexts, 'Missed you']);
    await until(async () => seqsOnDisk(await readDisk(), sink).length === sinkTexts.length + 1, 'the missed message on disk');
    const disk = await readDisk();
    expect(seqsOnDisk(disk, sink)).toEqual(sinkTexts.map((_, i) => i + 1).concat(sinkTexts.length + 1));
    expect(disk.threads.find((t) => t.conversationId === sink)?.cursor.gaplessSeq).toBe(sinkTexts.length + 1);
  });

  it('read marks and the job made while away come back current with the sync and the list', async () => {
    const server = await each.start();
    const { cookie, first, sink } = await caseyOnSink(server);
    first.dispatch(messageQueued({ conversationId: sink, text: 'Read this later' }));
    await until(() => selectThread(first.getState(), sink).messages.at(-1)?.status === 'sent', 'the ack');
    await until(async () => (await readDisk()).messages.some((m) => m.message_text === 'Read this later'), 'on disk');
    closePage(first);

    // While Casey's page is closed, Wes reads everything.
    const wesClient = await server.client(WES);
    wesClient.emit('mark_read', { conversation_id: sink, up_to_seq: (await server.storedTexts(sink)).length });
    await until(() => server.received.some((f) => f.event === 'mark_read' && f.user === 'Wes Worker'), 'the read mark');

    const second = await page(server, cookie);
    const mine = () => selectThread(second.getState(), sink).messages.find((m) => m.message_text === 'Read this later');
    expect(mine()?.is_read).toBe(false); // as kept
    await until(() => mine()?.is_read === true, 'the read mark made while away');
    await until(async () => (await readDisk()).messages.find((m) => m.message_text === 'Read this later')?.is_read === true, 'the read mark on disk');
    closePage(second);

    // And the job, marked complete by Wes while Casey is away: the header and its SYSTEM message.
    await wesClient.timeout(5000).emitWithAck('mark_complete', { conversation_id: sink });
    const third = await page(server, cookie);
    expect(third.getState().conversations.byId[sink]?.job.workerMarkedComplete).toBe(false); // as kept
    await until(() => third.getState().conversations.byId[sink]?.job.workerMarkedComplete === true, 'the job as it is now');
    await until(() => selectThread(third.getState(), sink).messages.at(-1)?.message_type === 'SYSTEM', 'the marking');
  });

  it('a message typed offline is on disk at once, survives the closed page and is sent once', async () => {
    const server = await each.start();
    const { cookie, sink, proxy } = await typedOffline(server, ['typed offline']);
    const second = await page(server, cookie, { socketUrl: proxy.url });
    const last = () => selectThread(second.getState(), sink).messages.at(-1);
    await until(() => last()?.message_text === 'typed offline' && last()?.status === 'sent', 'sent after the restore');
    expect((await server.storedTexts(sink)).filter((t) => t === 'typed offline')).toHaveLength(1);
    await until(async () => (await readDisk()).outbox.length === 0, 'the outbox emptied on disk');
  });

  it('two tabs restoring the same outbox both send it; the server keeps it once, each tab shows it once', async () => {
    const server = await each.start();
    const { cookie, sink, proxy } = await typedOffline(server, ['one of two tabs', 'in order']);
    const tabs = await Promise.all([page(server, cookie, { socketUrl: proxy.url }), page(server, cookie, { socketUrl: proxy.url })]);
    const ours = (store: AppStore) => selectThread(store.getState(), sink).messages.filter((m) => ['one of two tabs', 'in order'].includes(m.message_text));
    for (const tab of tabs) {
      await until(() => ours(tab).length === 2 && ours(tab).every((m) => m.status === 'sent'), 'both sent in each tab');
      expect(ours(tab).map((m) => m.message_text)).toEqual(['one of two tabs', 'in order']);
    }
    expect((await server.storedTexts(sink)).filter((t) => ['one of two tabs', 'in order'].includes(t))).toEqual(['one of two tabs', 'in order']);
    await until(async () => (await readDisk()).outbox.length === 0, 'the outbox emptied on disk');
  });

  it('a disk too slow for the page: it starts without it, and what it holds is written once the database opens', async () => {
    const server = await each.start();
    // A tab of an older build holds the database open at its version and does not let go for a while.
    const holder = await openDB(databaseName(KEY), SCHEMA_VERSION);
    const store = await page(server, await signIn(server.url, CASEY), { version: SCHEMA_VERSION + 1, restoreMs: 300 });
    await until(() => selectConversationsLoaded(store.getState()), 'the list, from the server');
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    holder.close();
    await until(async () => (await readDisk()).messages.filter((m) => m.conversation_id === sink).length === texts(store, sink).length, 'the thread on disk');
    expect((await readDisk()).list).toHaveLength(3);
  });

  it('a disk over quota changes nothing the user sees, and nothing throws', async () => {
    const server = await each.start();
    const cookie = await signIn(server.url, CASEY);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const store = await page(server, cookie);
    await until(() => selectConversationsLoaded(store.getState()), 'the list');
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    store.dispatch(messageQueued({ conversationId: sink, text: 'still works' }));
    await until(() => selectThread(store.getState(), sink).messages.at(-1)?.status === 'sent', 'the ack');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the writer's retries
    expect(put).toHaveBeenCalled();
    expect(texts(store, sink).at(-1)).toBe('still works');
    put.mockRestore();
    expect((await readDisk()).messages).toEqual([]);
  });

  it('another user on the same browser restores nothing of the first', async () => {
    const server = await each.start();
    await caseyOnSink(server);
    await until(async () => (await readDisk()).messages.length > 0, 'Casey on disk');
    const cache = openInboxCache('wes-cache-key-0123456789');
    const wes = makeStore({ cache, devChecks: false });
    await restoreCache(wes, cache, 5000);
    expect(wes.getState().conversations.loaded).toBe(false);
    expect(wes.getState().messages.byConversation).toEqual({});
  });

  it('prefetch: one get_messages in the background, never shown as loading; none for a loaded one; at most two at once', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    const fence = conversationTitled(store, TITLES.fence);
    const wardrobe = conversationTitled(store, TITLES.wardrobe);
    await openThread(store, sink);
    const wes = await server.store(WES);
    wes.dispatch(messageQueued({ conversationId: fence, text: 'Unread until opened' }));
    await until(() => (store.getState().conversations.byId[fence]?.unread_count ?? 0) > 0, 'the unread message');
    const unread = store.getState().conversations.byId[fence]!.unread_count;
    const before = server.sent('get_messages').length;
    store.dispatch(conversationPrefetched({ conversationId: sink })); // loaded: nothing
    store.dispatch(conversationPrefetched({ conversationId: fence }));
    store.dispatch(conversationPrefetched({ conversationId: fence })); // on its way: nothing more
    expect(selectThread(store.getState(), fence).loading).toBe(false);
    await until(() => selectThread(store.getState(), fence).loaded, 'the prefetched history');
    expect(server.sent('get_messages').slice(before)).toEqual([{ conversation_id: fence }]);
    // Loaded in the background is not read.
    expect(store.getState().conversations.byId[fence]?.unread_count).toBe(unread);
    expect((server.sent('mark_read') as { conversation_id: number }[]).filter((p) => p.conversation_id === fence)).toEqual([]);

    // The click that follows finds it cached: no request, no loading.
    const lines = each.lines.length;
    store.dispatch(conversationOpened({ conversationId: fence }));
    expect(each.lines.slice(lines)).toContain(`[Stream Controller] Instant load from cache: ${fence} (${texts(store, fence).length} messages)`);
    expect(server.sent('get_messages').slice(before)).toHaveLength(1);

    // Two at once at most (offline, so that none is answered meanwhile).
    await server.stop();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'offline');
    store.dispatch(conversationPrefetched({ conversationId: wardrobe }));
    const fake = [901, 902];
    for (const id of fake) store.dispatch(conversationPrefetched({ conversationId: id }));
    const prefetching = Object.entries(store.getState().messages.byConversation).filter(([, t]) => t.prefetching).map(([id]) => Number(id));
    expect(prefetching).toEqual([wardrobe, 901]);
  });
});
