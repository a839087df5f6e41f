// Real stores (makeStore with the real socket middleware, socket.io-client in Node) signed in to a real
// server, and reading what they hold.
import {
  conversationOpened,
  inboxStarted,
  inboxStopped,
  makeStore,
  olderMessagesRequested,
  selectConversationList,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
  type StoreOptions,
  type ThreadMessage,
} from '../../store';
import { signIn } from './sign-in';
import { until } from './until';

export type StoreSet = {
  /** A signed-in, started store whose socket goes to `socketUrl` (the server or a proxy in front of it). */
  open: (cookie: string, socketUrl: string, options?: Pick<StoreOptions, 'outbox'>) => Promise<AppStore>;
  /** Signs `email` in at `signInUrl`, then `open`s a store on `socketUrl`. */
  openAs: (email: string, socketUrl: string, signInUrl?: string) => Promise<AppStore>;
  /** Stops every store opened so far. */
  stopAll: () => void;
};

export function storeSet(): StoreSet {
  const stores: AppStore[] = [];
  const open: StoreSet['open'] = async (cookie, socketUrl, options = {}) => {
    // As a production page builds it: without RTK's development checks, which walk the whole state on every
    // action and, with thousands of cached messages, would slow these runs to a crawl.
    const store = makeStore({ ...options, devChecks: false, socket: { url: socketUrl, headers: { cookie } } });
    stores.push(store);
    store.dispatch(inboxStarted());
    await until(() => selectConversationsLoaded(store.getState()), 'the conversation list');
    return store;
  };
  return {
    open,
    openAs: async (email, socketUrl, signInUrl = socketUrl) => open(await signIn(signInUrl, email), socketUrl),
    stopAll: () => {
      for (const store of stores.splice(0)) store.dispatch(inboxStopped());
    },
  };
}

export function conversationTitled(store: AppStore, title: string): number {
  const found = selectConversationList(store.getState()).find((c) => c.job.title === title);
  if (!found) throw new Error(`no conversation "${title}"`);
  return found.id;
}

/** Opens the conversation and waits for its history. */
export async function openThread(store: AppStore, conversationId: number): Promise<void> {
  store.dispatch(conversationOpened({ conversationId }));
  await until(() => selectThread(store.getState(), conversationId).loaded, `history of ${conversationId}`);
}

export function threadMessages(store: AppStore, conversationId: number): ThreadMessage[] {
  return selectThread(store.getState(), conversationId).messages;
}

export function threadTexts(store: AppStore, conversationId: number): string[] {
  return threadMessages(store, conversationId).map((m) => m.message_text);
}

/** The seqs of a thread's confirmed messages are consecutive: nothing missing, nothing twice. */
export function isGapless(store: AppStore, conversationId: number): boolean {
  const seqs = threadMessages(store, conversationId).map((m) => m.seq);
  const first = seqs[0] ?? 1;
  return seqs.every((seq, i) => seq === first + i);
}

/**
 * Scrolls back (older pages) until the thread holds every message from the first one on. A reconnect that
 * missed more than a page's worth gets the latest page instead of the gap (CONTRACT `sync`), so the full
 * history of a long run is in the cache only after this.
 */
export async function loadWholeHistory(store: AppStore, conversationId: number, timeoutMs = 60_000): Promise<void> {
  await until(
    () => {
      const view = selectThread(store.getState(), conversationId);
      if (view.loaded && view.hasMore && !view.loadingOlder) store.dispatch(olderMessagesRequested({ conversationId }));
      return view.loaded && !view.hasMore;
    },
    `the whole history of ${conversationId}`,
    timeoutMs,
  );
}
