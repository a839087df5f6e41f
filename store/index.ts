// The browser store: makeStore (no singleton: the page's provider makes one), its types, and the public
// actions and selectors the pages use.
import { configureStore } from '@reduxjs/toolkit';
import { inboxStarted } from './intents';
import { initialMessagesState } from './messages/slice';
import { rootReducer, type RootState } from './reducer';
import { createSocketMiddleware } from './socket/middleware';
import type { SocketOptions } from './socket/client';
import type { OutboxOptions } from './socket/outbox';

export type StoreOptions = {
  preloadedState?: Partial<RootState>;
  /** `autoConnect`: start the inbox at once (in a browser only) instead of on `inboxStarted()`. */
  socket?: SocketOptions & { autoConnect?: boolean };
  /** How many conversations keep their history (default 50). */
  cacheLimit?: number;
  /** Print the CONTRACT section 6 console lines whatever localStorage says. */
  debug?: boolean;
  /** Ack timeout, tries and retry delay of unacked sends (tests shorten them). */
  outbox?: Partial<OutboxOptions>;
};

export function makeStore(options: StoreOptions = {}) {
  const { preloadedState = {}, cacheLimit } = options;
  const messages = preloadedState.messages ?? initialMessagesState(cacheLimit);
  const store = configureStore({
    reducer: rootReducer,
    preloadedState: {
      ...preloadedState,
      messages: cacheLimit === undefined ? messages : { ...messages, cacheLimit },
    },
    middleware: (getDefault) =>
      getDefault().concat(
        createSocketMiddleware({ socket: options.socket, debug: options.debug, outbox: options.outbox }),
      ),
  });
  if (options.socket?.autoConnect && typeof window !== 'undefined') store.dispatch(inboxStarted());
  return store;
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
} from './conversations/selectors';
export { selectThread, type ThreadView } from './messages/selectors';
export type { MessageStatus, ThreadMessage } from './messages/thread';
export { selectOpenConversationId } from './ui/slice';
