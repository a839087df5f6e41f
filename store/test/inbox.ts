// The store against the real server: `startTestServer` (server/app.ts in this process) on a fresh SQLite
// file with the demo seed, real sign-in over HTTP, real stores (makeStore, socket.io-client in Node), and
// the real fault hooks: a restart on the same port and database, a second server on the same database,
// and the TCP proxy of the fault tests (offline, dropped acks). What the server received is recorded as
// it arrived, per user, by a listener on the real socket.io server.
import { afterEach, beforeEach, vi } from 'vitest';
import { CASEY, signIn, WES } from '../../test/support/sign-in';
import { connectAs, type ClientSocket } from '../../test/support/sockets';
import { startTestServer, tempSqlite, type TestServer } from '../../test/support/test-server';
import type { StartOptions } from '../../server/app';
import type { Chaos } from '../../test/faults/support/tcp-proxy';
import { conversationTitled, openThread } from '../../test/support/stores';
import { until } from '../../test/support/until';
import { TcpProxy } from '../../test/faults/support/tcp-proxy';
import {
  inboxStarted,
  inboxStopped,
  makeStore,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
  type StoreOptions,
} from '../index';

export { CASEY, WES };
export const TITLES = { sink: 'Fix my sink', fence: 'Paint the fence', wardrobe: 'Assemble wardrobe' } as const;

export { conversationTitled, openThread, until };

export type Received = { user: string; event: string; payload: unknown };
export type StoredMessage = { id: string; seq: number; text: string; deleted: boolean; rev: number };

export class Inbox {
  /** Every frame the server received, in order, with the name of the user who sent it. */
  readonly received: Received[] = [];
  private server: TestServer | null = null;
  private readonly stores: AppStore[] = [];
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(
    private readonly databaseUrl: string,
    private readonly removeDatabase: () => void,
    private readonly options: StartOptions,
  ) {}

  static async start(options: StartOptions = {}): Promise<Inbox> {
    const sqlite = tempSqlite();
    const inbox = new Inbox(sqlite.url, sqlite.remove, options);
    await inbox.listen(0);
    return inbox;
  }

  private get running(): TestServer {
    if (this.server === null) throw new Error('the server is stopped');
    return this.server;
  }

  get url(): string {
    return this.running.url;
  }

  private async listen(port: number): Promise<void> {
    const server = await startTestServer({ ...this.options, databaseUrl: this.databaseUrl, port });
    server.io.on('connection', (socket) => {
      socket.onAny((event: string, payload: unknown) => this.received.push({ user: socket.data.user.name, event, payload }));
      const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
      (socket as unknown as { emit: typeof emit }).emit = (event, ...args) => {
        const instead = this.answerFault?.(event, args[0]);
        if (instead === undefined) return emit(event, ...args);
        return instead === null ? true : emit(...instead);
      };
    });
    this.server = server;
  }

  /**
   * A fault hook on what the server sends a socket itself (answers, not room broadcasts): for each frame it
   * returns undefined to let it go, null to drop it (the connection stays up), or another frame to send.
   */
  answerFault: ((event: string, payload: unknown) => [string, unknown] | null | undefined) | null = null;

  /** What `user` (a display name) sent as `event`, in order. */
  sent(event: string, user = 'Casey Client'): unknown[] {
    return this.received.filter((f) => f.event === event && f.user === user).map((f) => f.payload);
  }

  /** Stops the server (its sockets see the connection drop); the database stays. */
  async stop(): Promise<void> {
    await this.running.close();
    this.server = null;
  }

  /** Starts it again on the same port and database. */
  async restart(port: number): Promise<void> {
    await this.listen(port);
  }

  get port(): number {
    return this.running.port;
  }

  /** Another server process's worth: a second server on the same database, with its own sockets. */
  async second(): Promise<TestServer> {
    const other = await startTestServer({ ...this.options, databaseUrl: this.databaseUrl });
    this.closers.push(() => other.close());
    return other;
  }

  /** A TCP proxy in front of the server, for cutting the connection or dropping acks. */
  async proxy(): Promise<TcpProxy> {
    const proxy = await TcpProxy.start(this.running.port);
    this.closers.push(() => proxy.close());
    return proxy;
  }

  /** The texts stored in a conversation, oldest first. */
  async storedTexts(conversationId: number): Promise<string[]> {
    const rows = await this.running.db
      .selectFrom('messages')
      .select('text')
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.text);
  }

  /** A conversation as stored: each message's seq, text, tombstone and rev; and the conversation's rev. */
  async stored(conversationId: number): Promise<{ rev: number; messages: StoredMessage[] }> {
    const { db } = this.running;
    const messages = await db
      .selectFrom('messages')
      .select(['public_id as id', 'seq', 'text', 'deleted', 'rev'])
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
    const { rev } = await db.selectFrom('conversations').select('rev').where('id', '=', conversationId).executeTakeFirstOrThrow();
    return { rev, messages: messages.map((m) => ({ ...m, deleted: m.deleted === 1 })) };
  }

  /**
   * A signed-in, started store of `email` whose socket goes to `socketUrl` (the server, or a proxy in
   * front of it), with the cache lines on and short ack timeouts; resolves once its list has arrived.
   */
  async store(email: string, options: StoreOptions & { socketUrl?: string } = {}): Promise<AppStore> {
    const store = this.startStore(await signIn(this.url, email), options);
    await until(() => selectConversationsLoaded(store.getState()), `${email}'s conversations`);
    return store;
  }

  /** A started store with the given cookie (a bad one is refused at the handshake); not waited for. */
  startStore(cookie: string, options: StoreOptions & { socketUrl?: string } = {}): AppStore {
    const { socketUrl = this.url, ...rest } = options;
    const store = makeStore({
      debug: true,
      outbox: { ackTimeoutMs: 1000, retryDelayMs: 50 },
      ackTimeoutMs: 1000,
      ...rest,
      socket: { url: socketUrl, headers: { cookie } },
    });
    this.stores.push(store);
    store.dispatch(inboxStarted());
    return store;
  }

  /** A plain socket.io client of `email` (as another tab or device would be), on this server or `url`. */
  async client(email: string, url = this.url): Promise<ClientSocket> {
    const { socket } = await connectAs(url, email);
    this.closers.push(async () => void socket.close());
    return socket;
  }

  async close(): Promise<void> {
    for (const store of this.stores.splice(0)) store.dispatch(inboxStopped());
    for (const close of this.closers.splice(0).reverse()) await close();
    if (this.server !== null) await this.stop();
    this.removeDatabase();
  }
}

/** A proxy's chaos that drops the next `n` acks (and nothing else) while the connection stays up. */
export function dropAcks(proxy: TcpProxy, n: number): void {
  const last = proxy.counts.acksDropped + n;
  const chaos: Chaos = {
    random: () => 0.5,
    cutChance: 0,
    swallowChance: 0,
    ackCutChance: 0,
    get ackDropChance() {
      return proxy.counts.acksDropped < last ? 1 : 0;
    },
  };
  proxy.setChaos(chaos);
}

export const thread = (store: AppStore, id: number) => selectThread(store.getState(), id);
export const texts = (store: AppStore, id: number) => thread(store, id).messages.map((m) => `${m.message_text}:${m.status}`);

/** A cached thread in the shape of `Inbox.stored`: what a store holds against what the database holds. */
export const cachedAsStored = (store: AppStore, id: number): StoredMessage[] =>
  thread(store, id).messages.map((m) => ({ id: m.id, seq: m.seq!, text: m.message_text, deleted: m.deleted, rev: m.rev }));

/** Collects the CONTRACT section 6 lines the stores print (console.log is replaced while it runs). */
export function captureConsole(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  return lines;
}

/**
 * For a test file: each test starts its own server (`start`), the console lines it prints are collected
 * in `lines`, and the server, its stores and its fault hooks are closed after it.
 */
export function inboxPerTest() {
  const current = {
    lines: [] as string[],
    inbox: undefined as Inbox | undefined,
    async start(options: StartOptions = {}): Promise<Inbox> {
      current.inbox = await Inbox.start(options);
      return current.inbox;
    },
  };
  beforeEach(() => {
    current.lines = captureConsole();
  });
  afterEach(async () => {
    await current.inbox?.close();
    current.inbox = undefined;
    vi.restoreAllMocks();
  });
  return current;
}
