// The browser store: makeStore (no singleton: the page's provider makes one), its types, and the public
// actions and selectors the pages use.
import { configureStore } from '@reduxjs/toolkit';
import { createDebugLog } from './debug';
import { createListeners } from './listeners';
import { DEFAULT_OUTBOX, type OutboxOptions } from './outbox/listeners';
import type { InboxCache } from './persist/db';
import { createCacheWriter } from './persist/writer';
import { createRootReducer, type RootState } from './reducer';
import type { SocketOptions } from './socket/client';
import { createSocketLink } from './socket/link';

export type StoreOptions = {
  preloadedState?: Partial<RootState>;
  /** Where the socket goes (default: the page's origin) and its handshake headers (Node clients). */
  socket?: SocketOptions;
  /** How many conversations keep their history (default 50). */
  cacheLimit?: number;
  /** Print the CONTRACT section 6 console lines whatever localStorage says. */
  debug?: boolean;
  /**
   * The signed-in user's browser cache (store/persist): restored with `restoreCache` before the inbox
   * starts, then written as the state changes. None: nothing is kept.
   */
  cache?: InboxCache;
  /** Ack timeout, tries and retry delay of unacked sends (tests shorten them). */
  outbox?: Partial<OutboxOptions>;
  /** How long a mark_complete waits for its ack before it is shown as failed (default 5000 ms). */
  ackTimeoutMs?: number;
  /**
   * Redux Toolkit's development checks (immutability and serializability of every action and state),
   * which walk the whole state on each action. Default: on unless NODE_ENV is `production`.
   */
  devChecks?: boolean;
};

export function makeStore(options: StoreOptions = {}) {
  const devChecks = options.devChecks ?? process.env.NODE_ENV !== 'production';
  const listeners = createListeners({
    link: createSocketLink(options.socket ?? {}),
    log: createDebugLog(options.debug),
    outbox: { ...DEFAULT_OUTBOX, ...options.outbox },
    ackTimeoutMs: options.ackTimeoutMs ?? DEFAULT_OUTBOX.ackTimeoutMs,
    persist: options.cache === undefined ? null : createCacheWriter(options.cache),
  });
  return configureStore({
    reducer: createRootReducer({ cacheLimit: options.cacheLimit }),
    preloadedState: options.preloadedState,
    middleware: (getDefault) =>
      getDefault({ immutableCheck: devChecks, serializableCheck: devChecks }).prepend(listeners.middleware),
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
export type { RootState };

export * from './intents';
export { selectAuthFailed, selectConnectionState, type ConnectionState } from './connection/slice';
export {
  selectConversation,
  selectConversationList,
  selectConversationsLoaded,
  selectMarkCompleteRequest,
} from './conversations/selectors';
export type { MarkCompleteRequest } from './conversations/slice';
export {
  selectLastMessageChange,
  selectOpenConversationId,
  selectThread,
  type ShownMessage,
  type ThreadView,
} from './messages/selectors';
export type { MessageChange, MessageStatus, ThreadMessage } from './messages/thread';
export { selectTyping } from './typing/slice';
export type { OutboxOptions } from './outbox/listeners';
export { eraseCache, openInboxCache, prefetchCache, restoreCache, type InboxCache } from './persist';
