// The middleware against a real socket.io server on a free port, through a real socket.io-client.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  conversationOpened,
  inboxStarted,
  inboxStopped,
  jobMarkedComplete,
  makeStore,
  messageRetried,
  messageSent,
  selectAuthFailed,
  selectConnectionState,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
  type StoreOptions,
} from '../index';
import { startFakeServer, World, type FakeServer } from '../test/fakeServer';

let cleanups: (() => Promise<void> | void)[] = [];
let lines: string[] = [];

beforeEach(() => {
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
});

afterEach(async () => {
  for (const clean of cleanups.reverse()) await clean();
  cleanups = [];
  vi.restoreAllMocks();
});

async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  await vi.waitFor(() => {
    if (!condition()) throw new Error(`waiting for ${what}`);
  }, { timeout: 10_000, interval: 10 });
}

async function serve(world: World, port?: number): Promise<FakeServer> {
  const server = await startFakeServer(world, port);
  cleanups.push(() => server.close());
  return server;
}

async function connect(server: FakeServer, options: StoreOptions = {}): Promise<AppStore> {
  const store = makeStore({ socket: { url: server.url }, debug: true, outbox: { ackTimeoutMs: 400, retryDelayMs: 50 }, ...options });
  cleanups.push(() => void store.dispatch(inboxStopped()));
  store.dispatch(inboxStarted());
  await until(() => selectConversationsLoaded(store.getState()), 'the conversation list');
  return store;
}

async function setup(options: StoreOptions = {}) {
  const world = new World([1, 2, 3]);
  const server = await serve(world);
  const store = await connect(server, options);
  return { world, server, store };
}

const thread = (store: AppStore, id: number) => selectThread(store.getState(), id);
const texts = (store: AppStore, id: number) => thread(store, id).messages.map((m) => `${m.message_text}:${m.status}`);

async function openAndLoad(store: AppStore, id: number) {
  store.dispatch(conversationOpened({ conversationId: id }));
  await until(() => thread(store, id).loaded, `conversation ${id} loaded`);
}

describe('socket middleware', () => {
  it('opening sends exactly one get_messages; re-opening a cached conversation sends nothing', async () => {
    const { world, store } = await setup();
    store.dispatch(conversationOpened({ conversationId: 1 }));
    expect(thread(store, 1).loading).toBe(true);
    store.dispatch(conversationOpened({ conversationId: 1 }));
    await until(() => thread(store, 1).loaded);
    expect(thread(store, 1).messages).toHaveLength(5);
    await openAndLoad(store, 2);
    store.dispatch(conversationOpened({ conversationId: 1 }));
    expect(thread(store, 1).loading).toBe(false);
    await openAndLoad(store, 3); // frames arrive in order: once 3 is asked for, nothing else is on its way
    expect(world.sent('get_messages')).toEqual([{ conversation_id: 1 }, { conversation_id: 2 }, { conversation_id: 3 }]);
    expect(lines).toEqual(expect.arrayContaining([
      '[Stream Controller] Requesting messages via WebSocket: 1',
      '[Stream Controller] Cached 5 messages for conversation 1',
      '[Stream Controller] Instant load from cache: 1 (5 messages)',
    ]));
  });

  it('asks for a history again when the request was rate limited', async () => {
    const { world, store } = await setup();
    world.rateLimitHistory = 1;
    await openAndLoad(store, 1);
    expect(world.sent('get_messages')).toEqual([{ conversation_id: 1 }, { conversation_id: 1 }]);
  });

  it('stays quiet on the console without the debug flag', async () => {
    const { store } = await setup({ debug: false });
    await openAndLoad(store, 1);
    expect(lines).toEqual([]);
  });

  it('a sent message shows at once as pending, then sent once acked', async () => {
    const { world, store } = await setup();
    await openAndLoad(store, 1);
    store.dispatch(messageSent({ conversationId: 1, text: 'hello' }));
    expect(texts(store, 1).at(-1)).toBe('hello:pending');
    await until(() => texts(store, 1).at(-1) === 'hello:sent', 'the ack');
    expect(thread(store, 1).messages.at(-1)!.seq).toBe(6);
    expect(world.of(1).messages).toHaveLength(6);
    expect(lines).toContain('[Stream Controller] Added optimistic message to cache for conversation 1');
  });

  it('keeps messages typed while the server is down and sends them in order when it returns', async () => {
    const { world, server, store } = await setup();
    await openAndLoad(store, 1);
    await server.close();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    for (const text of ['one', 'two', 'three']) store.dispatch(messageSent({ conversationId: 1, text }));
    expect(texts(store, 1).slice(-3)).toEqual(['one:pending', 'two:pending', 'three:pending']);

    await serve(world, server.port);
    await until(() => texts(store, 1).slice(-3).join() === 'one:sent,two:sent,three:sent', 'the outbox');
    expect(world.sent('send_message').map((p) => (p as { message: string }).message)).toEqual(['one', 'two', 'three']);
    expect(world.of(1).messages.slice(-3).map((m) => m.message_text)).toEqual(['one', 'two', 'three']);
    expect(selectConnectionState(store.getState())).toBe('connected');
  });

  it('retries an unacked send with the same client_id, and the server keeps it once', async () => {
    const { world, store } = await setup();
    await openAndLoad(store, 1);
    world.dropAcks = 1;
    store.dispatch(messageSent({ conversationId: 1, text: 'lost ack' }));
    await until(() => texts(store, 1).at(-1) === 'lost ack:sent', 'the retried ack');
    const sends = world.sent('send_message') as { client_id: string }[];
    expect(sends).toHaveLength(2);
    expect(sends[1]!.client_id).toBe(sends[0]!.client_id);
    expect(thread(store, 1).messages).toHaveLength(6);
  });

  it('gives up after the tries are spent, and Retry sends it again', async () => {
    const { world, store } = await setup({ outbox: { ackTimeoutMs: 100, retryDelayMs: 10, maxAttempts: 3 } });
    await openAndLoad(store, 1);
    world.dropAcks = 3;
    store.dispatch(messageSent({ conversationId: 1, text: 'unlucky' }));
    await until(() => texts(store, 1).at(-1) === 'unlucky:failed', 'the failure');
    expect(world.sent('send_message')).toHaveLength(3);
    const clientId = thread(store, 1).messages.at(-1)!.id;
    store.dispatch(messageRetried({ conversationId: 1, clientId }));
    await until(() => texts(store, 1).at(-1) === 'unlucky:sent', 'the retry');
    expect(world.of(1).messages.filter((m) => m.client_id === clientId)).toHaveLength(1);
  });

  it('a refused send fails at once', async () => {
    const { world, store } = await setup();
    await openAndLoad(store, 1);
    world.refuseSends = 'bad_request';
    store.dispatch(messageSent({ conversationId: 1, text: 'refused' }));
    await until(() => texts(store, 1).at(-1) === 'refused:failed', 'the failure');
    expect(world.sent('send_message')).toHaveLength(1);
  });

  it('a message beyond a gap triggers a sync that fills it', async () => {
    const { world, server, store } = await setup();
    await openAndLoad(store, 1);
    world.store(1);
    world.store(1);
    const third = world.store(1);
    server.io.emit('message', { conversation_id: 1, message: third });
    await until(() => thread(store, 1).messages.length === 8, 'the gap filled');
    expect(world.sent('sync')).toEqual([{ conversations: [{ conversation_id: 1, after_seq: 5 }] }]);
    expect(thread(store, 1).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines).toContain('[Stream Controller] Added message to cache for conversation 1 (now 6 messages)');
  });

  it('a message arriving on screen is read at once; elsewhere it counts as unread', async () => {
    const { world, server, store } = await setup();
    await openAndLoad(store, 1);
    server.io.emit('message', { conversation_id: 1, message: world.store(1) });
    server.io.emit('message', { conversation_id: 2, message: world.store(2) });
    await until(() => store.getState().conversations.byId[2]!.unread_count === 1, 'the unread count');
    await until(() => world.sent('mark_read').length === 1, 'the read mark');
    expect(world.sent('mark_read')).toEqual([{ conversation_id: 1, up_to_seq: 6 }]);
    expect(store.getState().conversations.byId[1]!.unread_count).toBe(0);
    expect(thread(store, 1).messages.at(-1)!.is_read).toBe(true);
  });

  it('after a reconnect, syncs every loaded conversation from its last seq', async () => {
    const { world, server, store } = await setup();
    await openAndLoad(store, 1);
    await openAndLoad(store, 2);
    await server.close();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    world.store(1);
    world.store(1);
    await serve(world, server.port);
    await until(() => thread(store, 1).messages.length === 7, 'the catch-up');
    expect(world.sent('sync')).toEqual([{ conversations: [{ conversation_id: 1, after_seq: 5 }, { conversation_id: 2, after_seq: 5 }] }]);
    expect(thread(store, 2).messages).toHaveLength(5);
  });

  it('marking complete invalidates the cache: the next open asks afresh, once', async () => {
    const { world, store } = await setup();
    await openAndLoad(store, 1);
    store.dispatch(jobMarkedComplete({ conversationId: 1 }));
    await until(() => lines.includes('[Stream Controller] Invalidating cache for conversation 1'), 'the invalidation');
    expect(store.getState().conversations.byId[1]!.job.clientMarkedComplete).toBe(true);
    await until(() => thread(store, 1).messages.length === 6, 'the SYSTEM message on screen');
    await openAndLoad(store, 2);
    expect(thread(store, 1).messages).toEqual([]);
    await openAndLoad(store, 1);
    expect(world.sent('get_messages').filter((p) => (p as { conversation_id: number }).conversation_id === 1)).toHaveLength(2);
    expect(thread(store, 1).messages).toHaveLength(6);
  });

  it('a refused session stops the socket and says so', async () => {
    const world = new World([1]);
    world.refuseHandshake = true;
    const server = await serve(world);
    const store = makeStore({ socket: { url: server.url } });
    cleanups.push(() => void store.dispatch(inboxStopped()));
    store.dispatch(inboxStarted());
    await until(() => selectAuthFailed(store.getState()), 'the refusal');
    expect(selectConnectionState(store.getState())).toBe('disconnected');
  });
});
