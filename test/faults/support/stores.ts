// Real stores (makeStore with the real socket middleware, socket.io-client in Node) signed in to a real
// server, and the waits the fault tests use: conditions polled until true, never fixed sleeps.
import { vi } from 'vitest';
import { signIn } from '../../../server/test/helpers';
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
} from '../../../store';

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`still waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/**
 * Builds the store as a production page does: without Redux Toolkit's development checks, which walk the
 * whole state on every action and, with thousands of cached messages, would slow these runs to a crawl.
 */
function asInProduction<T>(build: () => T): T {
  const env = process.env as Record<string, string | undefined>;
  const mode = env.NODE_ENV;
  env.NODE_ENV = 'production';
  try {
    return build();
  } finally {
    if (mode === undefined) delete env.NODE_ENV;
    else env.NODE_ENV = mode;
  }
}

export type StoreSet = {
  /** A signed-in, started store whose socket goes to `socketUrl` (the server or a proxy in front of it). */
  open: (cookie: string, socketUrl: string, options?: Pick<StoreOptions, 'outbox'>) => Promise<AppStore>;
  stopAll: () => void;
};

export function storeSet(): StoreSet {
  const stores: AppStore[] = [];
  return {
    open: async (cookie, socketUrl, options = {}) => {
      const store = asInProduction(() => makeStore({ ...options, socket: { url: socketUrl, headers: { cookie } } }));
      stores.push(store);
      store.dispatch(inboxStarted());
      await until(() => selectConversationsLoaded(store.getState()), 'the conversation list');
      return store;
    },
    stopAll: () => {
      for (const store of stores.splice(0)) store.dispatch(inboxStopped());
    },
  };
}

export { signIn };

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

/** Like `until`, but answers whether the condition came true instead of failing, so the caller's
 *  expectations can say exactly what is wrong. */
export async function settled(condition: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  try {
    await until(condition, 'settling', timeoutMs);
    return true;
  } catch {
    return false;
  }
}
