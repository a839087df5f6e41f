// What every listener gets: the typed `startListening` of RTK's listener middleware and the `extra`
// argument of the store (its socket link, its console, its configuration). Effects live beside the slice
// they serve (`addXListeners(startListening)`); store/listeners.ts registers them all.
import {
  isAnyOf,
  type Dispatch,
  type ListenerEffectAPI,
  type TypedStartListening,
  type UnknownAction,
} from '@reduxjs/toolkit';
import type { DebugLog } from './debug';
import { socketAuthFailed, socketConnected, socketDisconnected } from './events';
import { inboxStopped } from './intents';
import type { RootState } from './reducer';
import type { OutboxOptions } from './outbox/listeners';
import type { CacheWriter } from './persist/writer';
import type { SocketLink } from './socket/link';

export type ListenerExtra = {
  link: SocketLink;
  /** The CONTRACT section 6 console lines. */
  log: DebugLog;
  outbox: OutboxOptions;
  /** How long a `mark_complete` waits for its ack before it is shown as failed. */
  ackTimeoutMs: number;
  /** Writes the store to the browser's database; null without one. */
  persist: CacheWriter | null;
};

export type AppStartListening = TypedStartListening<RootState, Dispatch<UnknownAction>, ListenerExtra>;
export type AppListenerApi = ListenerEffectAPI<RootState, Dispatch<UnknownAction>, ListenerExtra>;

/** `ms`, spread over ±50 %, so that many clients do not ask again at the same moment. */
export const jittered = (ms: number): number => ms * (0.5 + Math.random());

/** The connection (or the inbox) ended: what was waiting for it is moot. */
export const connectionEnded = isAnyOf(socketDisconnected, socketAuthFailed, inboxStopped);

/**
 * Runs `session` on every connect, for as long as that connection lasts: the next connection event (a
 * disconnect, a refused session, the inbox stopping, another connect) cancels it and everything it
 * forked. What must reach the server is sent this way, from what the state holds, so each connection
 * starts over from the state (the one offline policy of store/socket/link.ts).
 */
export function duringEveryConnection(startListening: AppStartListening, session: (api: AppListenerApi) => Promise<void>): void {
  startListening({
    matcher: isAnyOf(socketConnected, socketDisconnected, socketAuthFailed, inboxStopped),
    effect: async (action, api) => {
      api.cancelActiveListeners();
      if (socketConnected.match(action)) await session(api);
    },
  });
}
